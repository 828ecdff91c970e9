/* Taboor: the hall's spoken calls in the browser, one call after another, through Web Audio.

   The hall page makes one announcer and hands it each call:

     const announcer = TaboorAnnouncer.create({token, base: "", onchange});
     announcer.say({seq: 41, number: "A023", counter: "5", recall: false}).then(...);
     button.addEventListener("click", () => announcer.unlock());  // the page's first touch

   A call is said as the Qt hall says it: the server composes it
   (GET /api/v1/hall/announcement, centre/rules/speech.py) into clip URLs and
   the silences between them, in a full form and a brief one. Calls are said
   in the order given, each to its end before the next starts; a call given
   while BRIEF_AFTER others wait is said in the brief form; at most MAX_QUEUED
   wait (past that the oldest waiting one is dropped, never the one being
   said). The same call already waiting is not queued twice (a recall pressed
   twice is said once), nor is a call whose seq was given before (a stream
   that catches up repeats none); a recall given once the call has started is
   said again. say() returns a promise of true once the call has been said,
   or of false when it will not be.

   Sound plays as soon as the browser lets it. When it does not (no touch
   yet), `blocked` is true and `onchange(announcer)` is called; calls keep
   queueing, the newest kept, and `unlock()` (from a touch) plays them.

   Without Web Audio at all, `supported` is false and `blocked` stays true.

   `log` is the test hook: {seq, clip, started, ended} for each clip played
   (clip is its name, `chime` or `en/letter-a`; times are performance.now()
   ms; ended is null while it plays). Plain ES2017, no framework, no DOM. */
(function () {
  "use strict";

  // As centre.rules.speech (a test keeps them in step).
  var BRIEF_AFTER = 2;
  var MAX_QUEUED = 20;
  // A clip that has not ended this long after its length is given up on (as the Qt hall's
  // OVERRUN_MS): a stalled audio device must not silence the rest of the day.
  var OVERRUN_MS = 5000;
  // How long a new page waits for the browser to start its sound before saying it is blocked.
  var PROBE_MS = 300;
  // A call's script is asked for again after these pauses (ms) when the server cannot answer.
  var RETRIES_MS = [500, 1000, 2000, 4000, 8000];
  // A request not answered in this long is given up on (and a script asked for again).
  var FETCH_MS = 10000;
  // Memory stays flat over a day: the log and the seqs seen are bounded.
  var LOG_LIMIT = 2000;
  var SEEN_LIMIT = 200;
  var CLIP_NAME = /^\/display\/voice\/(.+)\.wav$/;

  function create(options) {
    var opts = options || {};
    var base = opts.base || "";
    var token = opts.token || "";
    var fetchOf = opts.fetch || window.fetch.bind(window);
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return unsupported(opts);
    var context = new Context();
    var gain = context.createGain();
    gain.connect(context.destination);

    var clips = new Map(); // url -> Promise of its decoded AudioBuffer (fetched once)
    var silences = new Map(); // ms -> AudioBuffer of silence
    var waiting = []; // calls waiting their turn, first first
    var current = null; // the call being said (or made ready to be)
    var seen = []; // the latest seqs given
    var closed = false;

    var announcer = {
      supported: true,
      blocked: false,
      onchange: typeof opts.onchange === "function" ? opts.onchange : null,
      log: [],
      dropped: 0,
      say: say,
      unlock: unlock,
      close: close,
    };
    Object.defineProperty(announcer, "playing", {
      get: function () {
        return current && describe(current);
      },
    });
    Object.defineProperty(announcer, "waiting", {
      get: function () {
        return waiting.map(describe);
      },
    });

    context.onstatechange = settle;
    if (context.state !== "running") {
      // Resolves at once where sound is allowed; stays pending (or fails) where it is not.
      context.resume().then(settle, settle);
      setTimeout(settle, PROBE_MS);
    }

    /* Queue a call: {seq, number, counter, recall}. The promise resolves to true once the call
       has been said to its end, to false when it will not be (not queued, dropped, refused). */
    function say(call) {
      if (closed || !call || !call.number || !call.counter) return Promise.resolve(false);
      var number = String(call.number);
      var counter = String(call.counter);
      var seq = call.seq === undefined ? null : call.seq;
      if (seq !== null) {
        if (seen.indexOf(seq) >= 0) return Promise.resolve(false);
        seen.push(seq);
        if (seen.length > SEEN_LIMIT) seen.shift();
      }
      var already = waiting.some(function (entry) {
        return entry.number === number && entry.counter === counter;
      });
      if (already) return Promise.resolve(false);
      var entry = {
        seq: seq,
        number: number,
        counter: counter,
        recall: Boolean(call.recall),
        // Calls backing up are said briefly, so the hall catches up.
        brief: waiting.length >= BRIEF_AFTER,
        steps: null,
        volume: 1,
        said: null,
      };
      var said = new Promise(function (resolve) {
        entry.said = resolve;
      });
      if (waiting.length >= MAX_QUEUED) {
        var dropped = waiting.shift();
        announcer.dropped += 1;
        console.warn("too many calls to say: " + dropped.number + " is not said");
        dropped.said(false);
      }
      entry.ready = script(entry);
      waiting.push(entry);
      pump();
      return said;
    }

    /* Start the sound, from a touch or click the page received. Resolves to true once it plays. */
    function unlock() {
      if (closed) return Promise.resolve(false);
      try {
        // Some browsers let sound out only for a sound started within the touch itself.
        var source = context.createBufferSource();
        source.buffer = silence(1);
        source.connect(context.destination);
        source.start();
      } catch (error) {
        // Nothing to unlock with: resume() below is all there is.
      }
      return context.resume().then(
        function () {
          settle();
          return !announcer.blocked;
        },
        function () {
          settle();
          return false;
        }
      );
    }

    /* Stop for good: nothing more is said, the audio context is released. */
    function close() {
      closed = true;
      if (current) current.said(false);
      waiting.forEach(function (entry) {
        entry.said(false);
      });
      waiting.length = 0;
      current = null;
      context.onstatechange = null;
      if (context.close) context.close().catch(function () {});
    }

    function settle() {
      if (closed) return;
      var running = context.state === "running";
      if (announcer.blocked !== !running) {
        announcer.blocked = !running;
        if (announcer.onchange) {
          try {
            announcer.onchange(announcer);
          } catch (error) {
            console.error(error);
          }
        }
      }
      if (running) pump();
    }

    function pump() {
      if (closed || current || !waiting.length || context.state !== "running") return;
      var entry = waiting.shift();
      current = entry;
      entry.ready.then(function () {
        if (entry !== current) return;
        if (!entry.steps) {
          finish(entry);
          return;
        }
        gain.gain.value = entry.volume;
        step(entry, 0);
      });
    }

    function finish(entry) {
      if (entry !== current) return;
      current = null;
      entry.said(entry.steps !== null);
      pump();
    }

    // -- a call's script, from the server ----------------------------------------------

    function script(entry) {
      var url =
        base +
        "/api/v1/hall/announcement?number=" +
        encodeURIComponent(entry.number) +
        "&counter=" +
        encodeURIComponent(entry.counter) +
        "&recall=" +
        entry.recall;
      var init = {headers: {Authorization: "Bearer " + token}, cache: "no-store"};

      function attempt(tries) {
        if (closed) return Promise.resolve();
        return get(url, init)
          .then(
            function (response) {
              if (closed) return true;
              if (response.ok) {
                return response.json().then(function (body) {
                  entry.steps = entry.brief ? body.brief : body.full;
                  entry.volume = Math.max(0, Math.min(1, Number(body.volume)));
                  if (!isFinite(entry.volume)) entry.volume = 1;
                  entry.steps.forEach(function (item) {
                    if (typeof item === "string") clip(base + item).catch(function () {});
                  });
                  return true;
                });
              }
              // Refused (the token, the role, announcements off): asking again will not help.
              if (response.status !== 429 && response.status < 500) {
                console.warn("call " + entry.number + " not said: the server answered " + response.status);
                return true;
              }
              return false;
            },
            function () {
              return false;
            }
          )
          .then(function (done) {
            if (done || closed) return undefined;
            if (tries >= RETRIES_MS.length) {
              console.warn("call " + entry.number + " not said: the server cannot be reached");
              return undefined;
            }
            return pause(RETRIES_MS[tries]).then(function () {
              return attempt(tries + 1);
            });
          });
      }

      return attempt(0);
    }

    // -- playing ---------------------------------------------------------------------------

    function step(entry, index) {
      if (closed || entry !== current) return;
      if (index >= entry.steps.length) {
        finish(entry);
        return;
      }
      var item = entry.steps[index];
      if (typeof item === "string") {
        clip(base + item).then(
          function (buffer) {
            play(entry, index, buffer, nameOf(item));
          },
          function (error) {
            console.warn("voice clip " + item + " skipped: " + error);
            step(entry, index + 1);
          }
        );
      } else {
        play(entry, index, silence(Number(item.silence) || 0), null);
      }
    }

    function play(entry, index, buffer, name) {
      if (closed || entry !== current) return;
      var source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(gain);
      var record = null;
      if (name !== null) {
        record = {seq: entry.seq, clip: name, started: performance.now(), ended: null};
        announcer.log.push(record);
        if (announcer.log.length > LOG_LIMIT) announcer.log.shift();
      }
      var over = false;
      var watchdog = null;

      function ended() {
        if (over) return;
        over = true;
        clearTimeout(watchdog);
        source.onended = null;
        source.disconnect();
        if (record) record.ended = performance.now();
        step(entry, index + 1);
      }

      function watch() {
        watchdog = setTimeout(function () {
          if (over) return;
          // A suspended context (sound blocked again) holds the clip: it ends once resumed.
          if (context.state !== "running") {
            watch();
            return;
          }
          console.warn("a voice clip did not end: going on without it");
          try {
            source.stop();
          } catch (error) {
            // Already stopped.
          }
          ended();
        }, buffer.duration * 1000 + OVERRUN_MS);
      }

      source.onended = ended;
      source.start();
      watch();
    }

    function clip(url) {
      var found = clips.get(url);
      if (!found) {
        found = get(url, {})
          .then(function (response) {
            if (!response.ok) throw new Error("HTTP " + response.status);
            return response.arrayBuffer();
          })
          .then(decode);
        clips.set(url, found);
        // A clip that failed is fetched again the next time it is needed.
        found.catch(function () {
          if (clips.get(url) === found) clips.delete(url);
        });
      }
      return found;
    }

    function get(url, init) {
      var controller = typeof AbortController === "function" ? new AbortController() : null;
      var request = Object.assign({}, init);
      if (controller) request.signal = controller.signal;
      return new Promise(function (resolve, reject) {
        var timer = setTimeout(function () {
          if (controller) controller.abort();
          reject(new Error("no answer in " + FETCH_MS / 1000 + " s"));
        }, FETCH_MS);
        fetchOf(url, request).then(
          function (response) {
            clearTimeout(timer);
            resolve(response);
          },
          function (error) {
            clearTimeout(timer);
            reject(error);
          }
        );
      });
    }

    function decode(data) {
      // The callback form: older TV browsers return no promise from decodeAudioData.
      return new Promise(function (resolve, reject) {
        var promise = context.decodeAudioData(data, resolve, reject);
        if (promise && promise.catch) promise.catch(reject);
      });
    }

    function silence(ms) {
      var buffer = silences.get(ms);
      if (!buffer) {
        var frames = Math.max(1, Math.round((context.sampleRate * ms) / 1000));
        buffer = context.createBuffer(1, frames, context.sampleRate);
        silences.set(ms, buffer);
      }
      return buffer;
    }

    return announcer;
  }

  /* A browser without Web Audio: sound is off for good, and calls are only shown. */
  function unsupported(opts) {
    console.warn("no Web Audio in this browser: calls are not said");
    return {
      supported: false,
      blocked: true,
      onchange: typeof opts.onchange === "function" ? opts.onchange : null,
      log: [],
      dropped: 0,
      playing: null,
      waiting: [],
      say: function () {
        return Promise.resolve(false);
      },
      unlock: function () {
        return Promise.resolve(false);
      },
      close: function () {},
    };
  }

  function describe(entry) {
    return {
      seq: entry.seq,
      number: entry.number,
      counter: entry.counter,
      recall: entry.recall,
      brief: entry.brief,
    };
  }

  function nameOf(url) {
    var match = CLIP_NAME.exec(url);
    return match ? match[1] : url;
  }

  function pause(ms) {
    return new Promise(function (resolve) {
      setTimeout(resolve, ms);
    });
  }

  window.TaboorAnnouncer = {create: create, BRIEF_AFTER: BRIEF_AFTER, MAX_QUEUED: MAX_QUEUED};
})();
