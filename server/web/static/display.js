/* The hall and counter displays in a browser (/display/hall, /display/counter/{c}): the Qt
   screens' content and rules (display/hall, display/counter_screen), live from the centre's
   event stream. Plain script, no framework, no build step: nothing newer than ES2017, so a
   television's own browser runs it. Nothing inline (the server's CSP allows 'self' alone),
   text only through textContent.

   Pairing (CONTRACTS.md section 6): the link {server}/display/hall#pair=CODE spends the code
   for the device's token, which is kept in localStorage for this page's path. Every request
   carries it; any 401 means the display was revoked, and the page stops. */
(function () {
  "use strict";

  var API = "/api/v1";
  var KIND = document.body.getAttribute("data-display"); // "hall" or "counter"
  var TOKEN_KEY = "taboor.display.token:";
  var SEARCH = parseSearch(window.location.search);

  // The Qt screens' rules (display/hall/viewmodel.py, display/counter_screen/viewmodel.py).
  var RECENT_CALLS = 6;
  var MAX_WAITING_CALLS = 20;
  var REFRESH_DELAY_MS = 300;
  // How long each call is highlighted in its turn (?turn=SECONDS shortens it, for tests).
  var TURN_MS = SEARCH.turn ? Math.max(Number(SEARCH.turn) * 1000, 100) : 8000;
  // A turn waits for its call to have been said, but never longer than this.
  var SAY_WAIT_MS = 30000;
  var JOIN_MIN_DELAY_MS = 1000;
  var JOIN_RETRY_MS = 5000;
  var QUEUE_REFRESH_MS = 60000; // the estimates move with time even when nothing happens
  var RATING_MS = 20000;
  var THANKS_MS = 3000;
  var RATING_FLOOR_MS = 8000;
  // The server says something at least every 15 seconds (a comment line); longer silence is a
  // dead link, however open the connection looks.
  var DEAD_LINK_MS = 20000;
  var BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
  var POLL_MS = 1000;
  // What the test hook and the performance timeline keep at most: bounded over a day.
  var HOOK_KEEP = 10000;
  var MARKS_KEEP = 1000;
  var CALL_TYPES = { called: true, recalled: true };

  var TEXT = {
    connecting: {
      ar: ["جارٍ الاتصال بالمركز…", ""],
      en: ["Connecting to the centre…", ""],
    },
    unpaired: {
      ar: [
        "هذه الشاشة غير مقترنة بعد",
        "على خادم المركز شغّل الأمر أدناه، ثم افتح على هذه الشاشة الرابط الذي يطبعه.",
      ],
      en: [
        "This screen is not paired yet",
        "On the centre's server, run the command below, then open the link it prints on this screen.",
      ],
    },
    pairing: { ar: ["جارٍ الاقتران…", ""], en: ["Pairing…", ""] },
    spent: {
      ar: ["تم استخدام هذا الرابط من قبل.", "اطلب رابطًا جديدًا."],
      en: ["This link was already used.", "Ask for a new one."],
    },
    revoked: {
      ar: ["لم تعد هذه الشاشة مقترنة", "اطلب من المشرف رابطًا جديدًا."],
      en: ["This display is no longer paired", "Ask the supervisor for a new link."],
    },
    touch: {
      ar: ["المس الشاشة لتشغيل الصوت", "تم اقتران الشاشة."],
      en: ["Touch the screen to turn on sound", "This display is paired."],
    },
    waiting: { ar: "في الانتظار", en: "waiting" },
    paused: { ar: "متوقفة مؤقتًا", en: "paused for now" },
    noWait: { ar: "بدون انتظار", en: "no wait" },
    about: { ar: "حوالي {n} دقيقة", en: "about {n} min" },
    closed: { ar: "هذا الكاونتر مغلق", en: "This counter is closed" },
    waitNumber: { ar: "يرجى انتظار رقمك", en: "Please wait for your number" },
    serving: { ar: "قيد الخدمة الآن", en: "Now serving" },
    comeHere: { ar: "يرجى التقدم إلى هذا الكاونتر", en: "Please come to this counter" },
  };

  // What tests and the bench read: each call as it arrived, each call's paint (after the
  // frame that drew it), each turn shown large, each call once said (or given up), each
  // rating sent, and the page's state.
  var hook = {
    state: "starting",
    connected: false,
    painted: [],
    calls: [],
    turns: [],
    said: [],
    ratings: [],
    joinUrl: null,
    lastSeq: null,
    streams: 0,
    polling: false,
  };
  window.taboorDisplay = hook;

  var session = null; // {token, stopped, controller, announcer}
  var timers = [];

  // -- small helpers --------------------------------------------------------------------

  function byId(id) {
    return document.getElementById(id);
  }

  function parseSearch(search) {
    var found = {};
    String(search || "")
      .replace(/^\?/, "")
      .split("&")
      .forEach(function (pair) {
        if (!pair) return;
        var parts = pair.split("=");
        found[decodeURIComponent(parts[0])] = decodeURIComponent(parts.slice(1).join("="));
      });
    return found;
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function keep(list, item) {
    list.push(item);
    if (list.length > HOOK_KEEP) list.splice(0, list.length - HOOK_KEEP);
  }

  // Timers die with the session: a revoked display does nothing more.
  function later(fn, ms) {
    var id = window.setTimeout(function () {
      forget(id);
      if (session && !session.stopped) fn();
    }, ms);
    timers.push(id);
    return id;
  }

  function every(fn, ms) {
    var id = window.setInterval(function () {
      if (session && !session.stopped) fn();
    }, ms);
    timers.push(id);
    return id;
  }

  function forget(id) {
    var at = timers.indexOf(id);
    if (at >= 0) timers.splice(at, 1);
  }

  function cancel(id) {
    if (id === null || id === undefined) return null;
    window.clearTimeout(id);
    window.clearInterval(id);
    forget(id);
    return null;
  }

  // A promise whose failure is of no interest (a stream cancelled twice).
  function quietly(promise) {
    if (promise && typeof promise.then === "function") promise.then(null, function () {});
  }

  function sleep(ms) {
    return new Promise(function (resolve) {
      window.setTimeout(resolve, ms);
    });
  }

  function backoff(attempt) {
    var base = BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)];
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  function afterPaint(fn) {
    // The first callback runs before the frame that draws the change; the second after it.
    var frame = window.requestAnimationFrame || function (cb) { return window.setTimeout(cb, 16); };
    frame(function () {
      frame(fn);
    });
  }

  function setBi(element, ar, en) {
    var parts = element.children;
    for (var i = 0; i < parts.length; i += 1) {
      var lang = parts[i].getAttribute("lang");
      if (lang === "ar") parts[i].textContent = ar || "";
      else if (lang === "en") parts[i].textContent = en || "";
    }
  }

  function setText(element, text) {
    if (element.textContent !== text) element.textContent = text;
  }

  function show(element, visible) {
    if (visible) element.removeAttribute("hidden");
    else element.setAttribute("hidden", "");
  }

  var storage = {
    get: function (key) {
      try {
        return window.localStorage.getItem(key);
      } catch (error) {
        return null;
      }
    },
    set: function (key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch (error) {
        // Not kept: the display works until it is reloaded.
      }
    },
    remove: function (key) {
      try {
        window.localStorage.removeItem(key);
      } catch (error) {
        // Nothing kept.
      }
    },
  };

  // -- the centre's time: the server's clock, as its answers tell it ------------------------

  var clockOffset = 0; // server time minus this browser's, in ms

  function serverNow() {
    return Date.now() + clockOffset;
  }

  function learnTime(iso) {
    var at = Date.parse(iso);
    if (!isNaN(at)) clockOffset = at - Date.now();
  }

  // -- notices over the whole screen ------------------------------------------------------

  var noticeKind = null;

  function showNotice(kind, command) {
    var notice = byId("notice");
    var words = TEXT[kind];
    noticeKind = kind;
    notice.className = "notice " + kind;
    byId("notice-title-ar").textContent = words.ar[0];
    byId("notice-text-ar").textContent = words.ar[1];
    byId("notice-title-en").textContent = words.en[0];
    byId("notice-text-en").textContent = words.en[1];
    var box = byId("notice-command");
    box.textContent = command || "";
    show(box, Boolean(command));
    show(notice, true);
    if (kind !== "touch" && kind !== "connecting") hook.state = kind;
  }

  function hideNotice(kind) {
    if (noticeKind === kind) {
      noticeKind = null;
      show(byId("notice"), false);
    }
  }

  function pairingCommand() {
    if (KIND === "counter") {
      var counter = counterOfPath();
      return "taboor device add counter-" + counter + "-screen --role counter --counter " +
        counter + " --link";
    }
    return "taboor device add hall-1 --role hall --link";
  }

  function counterOfPath() {
    var match = /^\/display\/counter\/([^/]+)\/?$/.exec(window.location.pathname);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function pagePath(role, counter) {
    if (role === "counter" && counter) return "/display/counter/" + encodeURIComponent(counter);
    return "/display/hall";
  }

  // -- languages: both shown, the centre's first one first (and its writing direction) -----

  function applyLanguages(languages) {
    var shown = (languages || []).filter(function (code) {
      return code === "ar" || code === "en";
    });
    if (!shown.length) shown = ["ar", "en"];
    var first = shown[0];
    var root = document.documentElement;
    root.lang = first;
    root.dir = first === "ar" ? "rtl" : "ltr";
    root.className = [
      first === "en" ? "en-first" : "",
      shown.indexOf("ar") < 0 ? "no-ar" : "",
      shown.indexOf("en") < 0 ? "no-en" : "",
    ].join(" ").trim();
  }

  // -- talking to the centre ---------------------------------------------------------------

  function Stopped() {
    this.message = "the display was revoked";
  }

  function HttpError(status, code, retryAfter) {
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
    this.message = "HTTP " + status + (code ? " " + code : "");
  }

  async function api(path, body, asText) {
    if (!session || session.stopped) throw new Stopped();
    var init = {
      cache: "no-store",
      headers: { Authorization: "Bearer " + session.token, Accept: "application/json" },
    };
    if (body !== undefined) {
      init.method = "POST";
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    var answer = await fetch(API + path, init);
    if (answer.status === 401) {
      revoke();
      throw new Stopped();
    }
    if (!answer.ok) {
      var code = null;
      try {
        code = (await answer.json()).code;
      } catch (error) {
        code = null;
      }
      throw new HttpError(answer.status, code, Number(answer.headers.get("Retry-After")) || 0);
    }
    if (answer.status === 204) return null;
    return asText ? answer.text() : answer.json();
  }

  // Asked again and again, backing off, until the centre answers (or the display is revoked).
  async function patiently(ask) {
    for (var attempt = 0; ; attempt += 1) {
      try {
        return await ask();
      } catch (error) {
        if (error instanceof Stopped) throw error;
        if (attempt > 0) setConnected(false);
        var wait = error instanceof HttpError && error.retryAfter ? error.retryAfter * 1000 : 0;
        await sleep(Math.max(wait, backoff(attempt)));
        if (!session || session.stopped) throw new Stopped();
      }
    }
  }

  function revoke() {
    if (!session || session.stopped) return;
    stopAll();
    storage.remove(TOKEN_KEY + window.location.pathname);
    show(byId("screen"), false);
    var badge = byId("sound-off");
    if (badge) show(badge, false);
    showNotice("revoked");
  }

  function stopAll() {
    session.stopped = true;
    if (session.controller) {
      try {
        session.controller.abort();
      } catch (error) {
        // Already ended.
      }
    }
    timers.slice().forEach(cancel);
    timers = [];
    hook.connected = false;
    var announcer = session.announcer;
    if (announcer && typeof announcer.close === "function") {
      try {
        announcer.close();
      } catch (error) {
        // Silent already.
      }
    }
  }

  var connectedShown = null;

  function setConnected(connected) {
    hook.connected = connected;
    if (connectedShown === connected) return;
    connectedShown = connected;
    show(byId("connection"), !connected);
  }

  // -- following the event stream -------------------------------------------------------------

  var lastSeq = 0;

  // Each event once, in order: what the stream (or a poll) brings at or below the last seq
  // applied is what was seen already.
  function deliver(view, events, catchingUpTo) {
    var fresh = [];
    for (var i = 0; i < events.length; i += 1) {
      var event = events[i];
      if (typeof event.seq === "number" && event.seq > lastSeq) {
        lastSeq = event.seq;
        fresh.push(event);
      }
    }
    hook.lastSeq = lastSeq;
    if (fresh.length) view.apply(fresh, catchingUpTo);
  }

  async function follow(view) {
    var attempt = 0;
    var first = true;
    while (session && !session.stopped) {
      var catchingUpTo = 0;
      if (!first) {
        try {
          var head = (await api("/events/head")).seq;
          if (head < lastSeq) {
            // Another log (the database was replaced): start again from what it holds.
            await view.load();
          } else {
            catchingUpTo = head;
            view.reconnected();
          }
        } catch (error) {
          if (error instanceof Stopped) return;
          setConnected(false);
          await sleep(backoff(attempt));
          attempt += 1;
          continue;
        }
      }
      first = false;
      try {
        var opened = await readStream(view, catchingUpTo);
        if (opened) attempt = 0;
      } catch (error) {
        if (error instanceof Stopped) return;
      }
      if (!session || session.stopped) return;
      setConnected(false);
      await sleep(backoff(attempt));
      attempt += 1;
    }
  }

  // One connection to /events/stream, read until it ends; true when it had opened. Silence
  // (no answer, or no bytes) for DEAD_LINK_MS ends it, whatever the connection looks like.
  async function readStream(view, catchingUpTo) {
    var controller = window.AbortController ? new window.AbortController() : null;
    var reader = null;
    var watchdog = null;
    function alive() {
      cancel(watchdog);
      watchdog = later(function () {
        if (controller) controller.abort();
        else if (reader) quietly(reader.cancel());
      }, DEAD_LINK_MS);
    }
    session.controller = controller;
    alive();
    try {
      var answer = await fetch(API + "/events/stream", {
        cache: "no-store",
        headers: {
          Authorization: "Bearer " + session.token,
          Accept: "text/event-stream",
          "Last-Event-ID": String(lastSeq),
        },
        signal: controller ? controller.signal : undefined,
      });
      if (answer.status === 401) {
        revoke();
        throw new Stopped();
      }
      if (!answer.ok) throw new HttpError(answer.status, null, 0);
      if (!answer.body || !answer.body.getReader || !window.TextDecoder) {
        // A browser without streamed answers: ask for the log every second instead.
        cancel(watchdog);
        if (controller) controller.abort();
        await poll(view);
        return true;
      }
      reader = answer.body.getReader();
      var decoder = new window.TextDecoder();
      var parser = sseParser();
      hook.streams += 1;
      setConnected(true);
      alive();
      for (;;) {
        var chunk = await reader.read();
        if (chunk.done) return true;
        alive();
        var messages = parser(decoder.decode(chunk.value, { stream: true }));
        var events = [];
        for (var i = 0; i < messages.length; i += 1) {
          try {
            events.push(JSON.parse(messages[i]));
          } catch (error) {
            // A malformed message is skipped; its seq will be asked again if it mattered.
          }
        }
        if (events.length) deliver(view, events, catchingUpTo);
      }
    } catch (error) {
      if (error instanceof Stopped) throw error;
      return reader !== null;
    } finally {
      cancel(watchdog);
      if (reader) {
        try {
          quietly(reader.cancel());
        } catch (error) {
          // Already closed.
        }
      }
    }
  }

  // Server-sent events: "field: value" lines, a blank line ends a message; only data matters
  // here (it carries the seq), ":" lines are the server's keep-alives. Returns a function
  // taking the next text and giving the messages it completed.
  function sseParser() {
    var rest = "";
    var data = [];
    return function (text) {
      var done = [];
      var buffer = rest + text;
      var held = "";
      if (buffer.charAt(buffer.length - 1) === "\r") {
        // A CR whose LF may come with the next text: one line end, not two.
        held = "\r";
        buffer = buffer.slice(0, -1);
      }
      var lines = buffer.split(/\r\n|\n|\r/);
      rest = lines.pop() + held;
      for (var i = 0; i < lines.length; i += 1) {
        var line = lines[i];
        if (line === "") {
          if (data.length) done.push(data.join("\n"));
          data = [];
          continue;
        }
        if (line.charAt(0) === ":") continue;
        var colon = line.indexOf(":");
        var field = colon < 0 ? line : line.slice(0, colon);
        var value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
        if (field === "data") data.push(value);
      }
      return done;
    };
  }

  async function poll(view) {
    hook.polling = true;
    setConnected(true);
    for (;;) {
      var body = await api("/events?since=" + lastSeq);
      deliver(view, body.events || [], 0);
      if ((body.events || []).length < 500) await sleep(POLL_MS);
      if (!session || session.stopped) return;
    }
  }

  // -- performance marks for the bench -----------------------------------------------------

  var marks = 0;

  function markPainted(calls) {
    afterPaint(function () {
      for (var i = 0; i < calls.length; i += 1) {
        var call = calls[i];
        try {
          performance.mark("call-painted", { detail: { seq: call.seq } });
        } catch (error) {
          try {
            performance.mark("call-painted");
          } catch (ignored) {
            // No user timing here: the hook still records it.
          }
        }
        marks += 1;
        keep(hook.painted, { seq: call.seq, number: call.number, at: Date.now() });
      }
      if (marks > MARKS_KEEP && performance.clearMarks) {
        performance.clearMarks("call-painted");
        marks = 0;
      }
    });
  }

  function callOf(event) {
    var ticket = event.ticket;
    if (!ticket || !ticket.id || !ticket.number || !event.counter || !ticket.service) return null;
    return {
      seq: event.seq,
      ticket: ticket.id,
      number: ticket.number,
      counter: event.counter,
      service: ticket.service,
      at: event.at,
      recall: event.type === "recalled",
      said: null,
    };
  }

  // -- the hall ----------------------------------------------------------------------------

  function Hall(config, announcer) {
    this.config = config;
    this.announcer = announcer;
    this.calls = [];
    this.current = null;
    this.waiting = [];
    this.highlighted = false;
    this.turn = null; // {timer, saying}
    var footer = config.centre.footer;
    this.footer = footer ? { ar: footer.ar || "", en: footer.en || "" } : { ar: "", en: "" };
    this.message = this.footer;
    this.day = null;
    this.refreshTimer = null;
    this.join = { url: null, expires: 0, due: 0, reading: false, off: false };
    this.services = {};
    var zone = config.centre.timezone;
    this.formats = {
      time: dateFormat("en-GB", { hour: "2-digit", minute: "2-digit", hour12: false }, zone),
      ar: dateFormat("ar-BH", { weekday: "long", day: "numeric", month: "long", year: "numeric" }, zone),
      en: dateFormat("en-GB", { weekday: "long", day: "numeric", month: "long", year: "numeric" }, zone),
      day: dateFormat("en-CA", { year: "numeric", month: "2-digit", day: "2-digit" }, zone),
    };
    this.build();
  }

  function dateFormat(locale, options, zone) {
    try {
      options.timeZone = zone;
      return new Intl.DateTimeFormat(locale, options);
    } catch (error) {
      delete options.timeZone; // a browser without the time zones: its own
      return new Intl.DateTimeFormat(locale, options);
    }
  }

  Hall.prototype.build = function () {
    var config = this.config;
    byId("centre-ar").textContent = config.centre.name.ar;
    byId("centre-en").textContent = config.centre.name.en;
    document.title = "Taboor — " + config.centre.name.en;
    var list = byId("recent-list");
    var row = byId("recent-row");
    this.rows = [];
    for (var i = 0; i < RECENT_CALLS; i += 1) {
      var item = row.content.firstElementChild.cloneNode(true);
      list.appendChild(item);
      this.rows.push({ number: item.children[0], counter: item.children[1] });
    }
    var queues = byId("queues");
    var template = byId("queue-card");
    var self = this;
    config.services.forEach(function (service) {
      var card = template.content.firstElementChild.cloneNode(true);
      card.setAttribute("data-testid", "queue-" + service.code);
      setBi(card.querySelector(".queue-name"), service.name.ar, service.name.en);
      queues.appendChild(card);
      self.services[service.code] = {
        card: card,
        waiting: card.querySelector(".queue-waiting"),
        detail: card.querySelector(".queue-detail"),
        name: service.name,
      };
    });
    this.showMessage(this.message);
    this.showCurrent();
    this.tick();
  };

  Hall.prototype.load = async function () {
    var head = (await api("/events/head")).seq;
    var answers = await Promise.all([
      api("/queue"),
      api("/hall/calls?head=" + head + "&count=" + (RECENT_CALLS + 1)),
      api("/hall/message"),
    ]);
    lastSeq = head;
    hook.lastSeq = head;
    this.showQueues(answers[0]);
    // The centre's day and time, now that its clock is known: a change from here on is a new day.
    this.day = null;
    this.tick();
    // What was called before the hall (re)started: shown, not highlighted nor said again.
    this.calls = (answers[1].events || []).map(callOf).filter(Boolean);
    if (!this.current && !this.waiting.length) this.current = this.calls[0] || null;
    this.showCurrent();
    var message = answers[2];
    if (message.ar || message.en) this.setMessage({ ar: message.ar || "", en: message.en || "" });
    this.readJoin();
  };

  Hall.prototype.start = function () {
    var self = this;
    every(function () {
      self.tick();
    }, 1000);
    every(function () {
      self.refresh();
    }, QUEUE_REFRESH_MS);
  };

  Hall.prototype.reconnected = function () {
    // The stream catches the calls up; the figures are read again.
    this.scheduleRefresh();
    if (this.join.off) {
      this.join.off = false;
      this.readJoin();
    }
  };

  Hall.prototype.apply = function (events) {
    var arrived = [];
    var touched = false;
    for (var i = 0; i < events.length; i += 1) {
      var event = events[i];
      if (event.type === "hall_message_set") {
        var data = event.data || {};
        var ar = String(data.ar || "");
        var en = String(data.en || "");
        this.setMessage(ar || en ? { ar: ar, en: en } : this.footer);
        continue;
      }
      var call = own(CALL_TYPES, event.type) ? callOf(event) : null;
      if (call) {
        var rest = this.calls.filter(function (earlier) {
          return earlier.ticket !== call.ticket;
        });
        this.calls = [call].concat(rest).slice(0, RECENT_CALLS + 1);
        arrived.push(call);
      }
      if (event.type !== "recalled") touched = true;
    }
    if (arrived.length) {
      // Listed at once; shown large and said each in turn.
      for (var j = 0; j < arrived.length; j += 1) {
        var next = arrived[j];
        keep(hook.calls, {
          seq: next.seq,
          number: next.number,
          counter: next.counter,
          recall: next.recall,
          at: Date.now(),
        });
        next.said = this.say(next);
        this.waitTurn(next);
        if (!this.highlighted) this.nextTurn();
      }
      this.showCalls();
      markPainted(arrived);
    }
    if (touched) this.scheduleRefresh();
  };

  Hall.prototype.say = function (call) {
    var announcer = this.announcer;
    if (!announcer) return null;
    try {
      var said = announcer.say({
        seq: call.seq,
        number: call.number,
        counter: call.counter,
        recall: call.recall,
      });
      if (!said || typeof said.then !== "function") return null;
      said.then(
        function (done) {
          keep(hook.said, { seq: call.seq, number: call.number, said: done !== false, at: Date.now() });
        },
        function () {
          keep(hook.said, { seq: call.seq, number: call.number, said: false, at: Date.now() });
        }
      );
      return said;
    } catch (error) {
      if (window.console) window.console.warn("taboor: the call could not be said", error);
      return null;
    }
  };

  // -- turns: each call shown large and highlighted, one after another --

  Hall.prototype.waitTurn = function (call) {
    for (var i = 0; i < this.waiting.length; i += 1) {
      if (this.waiting[i].ticket === call.ticket) {
        // Called again before its turn: one turn, the latest.
        this.waiting[i] = call;
        return;
      }
    }
    if (this.waiting.length >= MAX_WAITING_CALLS) this.waiting.shift(); // listed, not shown large
    this.waiting.push(call);
  };

  Hall.prototype.nextTurn = function () {
    var self = this;
    if (this.turn) {
      cancel(this.turn.timer);
      cancel(this.turn.cap);
      this.turn = null;
    }
    if (!this.waiting.length) {
      if (this.highlighted) {
        this.highlighted = false;
        this.showHighlight();
      }
      return;
    }
    var call = this.waiting.shift();
    var turn = { call: call, timed: false, said: !call.said, timer: null, cap: null };
    this.turn = turn;
    function over() {
      if (self.turn === turn && turn.timed && (turn.said || self.soundBlocked())) self.nextTurn();
    }
    turn.timer = later(function () {
      turn.timed = true;
      over();
    }, TURN_MS);
    if (call.said) {
      // The turn lasts until the call has been said, however long that takes (within reason).
      call.said.then(
        function () {
          turn.said = true;
          over();
        },
        function () {
          turn.said = true;
          over();
        }
      );
      turn.cap = later(function () {
        turn.said = true;
        over();
      }, SAY_WAIT_MS);
    }
    this.current = call;
    this.highlighted = true;
    this.showCurrent();
    this.showHighlight();
    keep(hook.turns, { seq: call.seq, number: call.number, at: Date.now() });
  };

  Hall.prototype.soundBlocked = function () {
    return Boolean(this.announcer && this.announcer.blocked);
  };

  // -- drawing --

  Hall.prototype.showCurrent = function () {
    var call = this.current;
    setText(byId("now-number"), call ? call.number : "—");
    setText(byId("now-counter"), call ? call.counter : "");
    show(byId("now-where"), Boolean(call));
    var service = call ? this.serviceName(call.service) : null;
    setBi(byId("now-service"), service ? service.ar : "", service ? service.en : "");
    byId("now").setAttribute("data-seq", call ? String(call.seq) : "");
    this.showCalls();
  };

  Hall.prototype.showCalls = function () {
    // Every call but the one shown large, those waiting for their turn included.
    var current = this.current;
    var earlier = this.calls.filter(function (call) {
      return call !== current;
    });
    for (var i = 0; i < this.rows.length; i += 1) {
      var call = earlier[i];
      setText(this.rows[i].number, call ? call.number : "");
      setText(this.rows[i].counter, call ? call.counter : "");
    }
  };

  Hall.prototype.showHighlight = function () {
    var now = byId("now");
    if (this.highlighted) now.classList.add("highlighted");
    else now.classList.remove("highlighted");
  };

  Hall.prototype.serviceName = function (code) {
    var entry = this.services[code];
    return entry ? entry.name : null;
  };

  Hall.prototype.scheduleRefresh = function () {
    // Figures are read this long after the last event, so a burst costs one read.
    var self = this;
    cancel(this.refreshTimer);
    this.refreshTimer = later(function () {
      self.refreshTimer = null;
      self.refresh();
    }, REFRESH_DELAY_MS);
  };

  Hall.prototype.refresh = async function () {
    try {
      this.showQueues(await api("/queue"));
    } catch (error) {
      if (!(error instanceof Stopped)) this.scheduleRetry();
    }
  };

  Hall.prototype.scheduleRetry = function () {
    var self = this;
    if (this.refreshTimer) return;
    this.refreshTimer = later(function () {
      self.refreshTimer = null;
      self.refresh();
    }, JOIN_RETRY_MS);
  };

  Hall.prototype.showQueues = function (status) {
    learnTime(status.at);
    var services = status.services || [];
    for (var i = 0; i < services.length; i += 1) {
      var queue = services[i];
      var entry = this.services[queue.service.code];
      if (!entry) continue;
      setText(entry.waiting, String(queue.waiting));
      var wait = null;
      if (queue.paused) wait = TEXT.paused;
      else if (queue.waiting === 0) wait = TEXT.noWait;
      else if (queue.eta_minutes !== null && queue.eta_minutes !== undefined) {
        wait = {
          ar: TEXT.about.ar.replace("{n}", queue.eta_minutes),
          en: TEXT.about.en.replace("{n}", queue.eta_minutes),
        };
      }
      setBi(
        entry.detail,
        [TEXT.waiting.ar, wait ? wait.ar : ""].filter(Boolean).join(" · "),
        [TEXT.waiting.en, wait ? wait.en : ""].filter(Boolean).join(" · ")
      );
      if (queue.paused) entry.card.classList.add("paused");
      else entry.card.classList.remove("paused");
    }
  };

  Hall.prototype.setMessage = function (message) {
    this.message = message;
    this.showMessage(message);
  };

  Hall.prototype.showMessage = function (message) {
    var band = byId("message");
    setBi(band, message.ar, message.en);
    show(band, Boolean(message.ar || message.en));
  };

  Hall.prototype.tick = function () {
    var now = new Date(serverNow());
    if (this.join.due && !this.join.reading && serverNow() >= this.join.due) this.readJoin();
    setText(byId("time"), this.formats.time.format(now));
    setBi(byId("date"), this.formats.ar.format(now), this.formats.en.format(now));
    var today = this.formats.day.format(now);
    if (this.day !== null && today !== this.day && (this.calls.length || this.current)) {
      // A new business day: yesterday's calls leave the screen.
      this.calls = [];
      this.waiting = [];
      this.current = null;
      this.nextTurn();
      this.showCurrent();
      this.scheduleRefresh();
    }
    this.day = today;
  };

  // -- the paperless-ticket QR: a new address every [public] join_seconds --

  Hall.prototype.readJoin = async function () {
    var join = this.join;
    if (join.reading || join.off) return;
    join.reading = true;
    join.due = 0;
    try {
      var link = await api("/hall/join");
      var svg = await api("/hall/join.svg", undefined, true);
      // A data: address, which the pages' CSP allows for images (a blob: one it does not).
      byId("join-qr").src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svg);
      join.url = link.url;
      join.expires = Date.parse(link.expires_at);
      join.seconds = Number(link.seconds) || 60;
      hook.joinUrl = link.url;
      this.showJoin(true);
      join.due = Math.max(join.expires, serverNow() + JOIN_MIN_DELAY_MS);
    } catch (error) {
      if (error instanceof Stopped) return;
      if (error instanceof HttpError && error.status === 404) {
        // No public address: the configuration says so until the server restarts.
        join.off = true;
        this.showJoin(false);
        return;
      }
      // The centre away: the code shown keeps working while the server still takes it.
      if (join.url && serverNow() >= join.expires + join.seconds * 1000) this.showJoin(false);
      join.due = serverNow() + JOIN_RETRY_MS;
    } finally {
      join.reading = false;
    }
  };

  Hall.prototype.showJoin = function (visible) {
    if (!visible) {
      this.join.url = null;
      hook.joinUrl = null;
    }
    show(byId("join"), visible);
    if (visible) document.body.classList.add("join-shown");
    else document.body.classList.remove("join-shown");
  };

  // -- the display over a counter ---------------------------------------------------------

  function CounterScreen(config, counter) {
    this.config = config;
    this.counter = counter;
    this.ticket = null; // {id, number, service, state}
    this.open = false;
    this.highlightTimer = null;
    this.prompt = null; // {ticket, number, lang, thanked}
    this.promptToken = 0;
    this.ratingSince = 0;
    this.ratingTimer = null;
    this.thanksTimer = null;
    this.floorTimer = null;
    this.rated = [];
    this.build();
  }

  CounterScreen.prototype.build = function () {
    var self = this;
    byId("counter-id").textContent = this.counter;
    document.title = "Taboor — counter " + this.counter;
    var faces = byId("faces").querySelectorAll(".face");
    for (var i = 0; i < faces.length; i += 1) {
      faces[i].addEventListener("click", function (event) {
        self.rate(Number(event.currentTarget.getAttribute("data-rating")));
      });
    }
    byId("skip").addEventListener("click", function () {
      self.skipRating();
    });
    this.show();
  };

  CounterScreen.prototype.load = async function () {
    var head = (await api("/events/head")).seq;
    var answers = await Promise.all([
      api("/counters/" + encodeURIComponent(this.counter) + "/desk"),
      api("/queue"),
    ]);
    lastSeq = head;
    hook.lastSeq = head;
    learnTime(answers[1].at);
    var desk = answers[0];
    var ticket = desk.ticket;
    this.open = Boolean(desk.is_open || ticket);
    this.ticket = ticket
      ? { id: ticket.id, number: ticket.number, service: ticket.service, state: ticket.state }
      : null;
    this.show();
  };

  CounterScreen.prototype.start = function () {};

  CounterScreen.prototype.reconnected = async function () {
    try {
      learnTime((await api("/queue")).at);
    } catch (error) {
      // The time stays as last learned.
    }
  };

  CounterScreen.prototype.apply = function (events, catchingUpTo) {
    var mine = this.counter;
    var painted = [];
    for (var i = 0; i < events.length; i += 1) {
      var event = events[i];
      var type = event.type;
      var ticket = event.ticket;
      if (type === "transferred") {
        if (event.data && event.data.from_counter === mine) this.setTicket(null);
        continue;
      }
      if (event.counter !== mine) continue;
      if (type === "counter_opened") {
        this.open = true;
      } else if (type === "counter_closed") {
        this.open = false;
        this.setTicket(null);
      } else if (type === "called" && ticket && ticket.number && ticket.service) {
        // The next visitor is called: the last one's rating gives way.
        this.ratingGivesWay();
        this.open = true;
        this.setTicket({
          id: ticket.id,
          number: ticket.number,
          service: ticket.service,
          state: "called",
        });
        this.setHighlight(true);
        painted.push(event);
      } else if (type === "recalled" && this.ticket) {
        this.setHighlight(true);
        painted.push(event);
      } else if (type === "serving" && this.ticket) {
        this.ticket.state = "serving";
      } else if (type === "served") {
        this.setTicket(null);
        this.askRating(event, event.seq <= catchingUpTo);
      } else if (type === "no_show") {
        this.setTicket(null);
      }
    }
    this.show();
    if (painted.length) {
      painted.forEach(function (event) {
        keep(hook.calls, {
          seq: event.seq,
          number: event.ticket ? event.ticket.number : "",
          counter: event.counter,
          recall: event.type === "recalled",
          at: Date.now(),
        });
      });
      markPainted(
        painted.map(function (event) {
          return { seq: event.seq, number: event.ticket ? event.ticket.number : "" };
        })
      );
    }
  };

  CounterScreen.prototype.setTicket = function (ticket) {
    this.ticket = ticket;
    if (!ticket) this.setHighlight(false);
  };

  CounterScreen.prototype.setHighlight = function (highlighted) {
    var self = this;
    this.highlightTimer = cancel(this.highlightTimer);
    if (highlighted) {
      this.highlightTimer = later(function () {
        self.highlightTimer = null;
        self.setHighlight(false);
      }, TURN_MS);
    }
    var panel = byId("ticket-panel");
    if (highlighted) panel.classList.add("highlighted");
    else panel.classList.remove("highlighted");
  };

  CounterScreen.prototype.show = function () {
    var ticket = this.ticket;
    var number;
    var status;
    if (!this.open) {
      number = "";
      status = TEXT.closed;
    } else if (!ticket) {
      number = "—";
      status = TEXT.waitNumber;
    } else if (ticket.state === "serving") {
      number = ticket.number;
      status = TEXT.serving;
    } else {
      number = ticket.number;
      status = TEXT.comeHere;
    }
    setText(byId("ticket-number"), number);
    setBi(byId("ticket-status"), status.ar, status.en);
    var panel = byId("ticket-panel");
    if (this.open) panel.classList.remove("closed");
    else panel.classList.add("closed");
  };

  // -- the rating faces: once per ticket, the same feedback event as the Qt counter screen --

  CounterScreen.prototype.askRating = async function (event, caughtUp) {
    var ticket = event.ticket;
    if (!ticket || !ticket.id || !ticket.number) return;
    if (caughtUp && serverNow() - Date.parse(event.at) > RATING_MS) return; // long gone
    if (this.rated.indexOf(ticket.id) >= 0) return;
    this.closeRating();
    var token = this.promptToken;
    this.ratingSince = Date.now();
    var lang = "ar";
    try {
      var view = await api("/tickets/" + encodeURIComponent(ticket.id));
      lang = view.ticket.lang === "en" ? "en" : "ar";
    } catch (error) {
      if (error instanceof Stopped) return;
    }
    if (token !== this.promptToken || !session || session.stopped) return;
    this.setRating({ ticket: ticket.id, number: ticket.number, lang: lang, thanked: false });
    var self = this;
    this.ratingTimer = later(function () {
      self.ratingTimer = null;
      self.skipRating();
    }, RATING_MS);
  };

  CounterScreen.prototype.rate = function (rating) {
    var prompt = this.prompt;
    if (!prompt || prompt.thanked || !(rating >= 1 && rating <= 5)) return;
    this.ratingTimer = cancel(this.ratingTimer);
    this.rated.push(prompt.ticket);
    if (this.rated.length > 20) this.rated.shift();
    this.setRating({ ticket: prompt.ticket, number: prompt.number, lang: prompt.lang, thanked: true });
    var self = this;
    this.thanksTimer = later(function () {
      self.thanksTimer = null;
      self.closeRating();
    }, THANKS_MS);
    var record = { number: prompt.number, rating: rating, status: null };
    keep(hook.ratings, record);
    api("/tickets/" + encodeURIComponent(prompt.ticket) + "/feedback", { rating: rating }).then(
      function () {
        record.status = 204;
      },
      function (error) {
        // Rated already, or the ticket moved on: nothing to tell the visitor.
        record.status = error instanceof HttpError ? error.status : 0;
      }
    );
  };

  CounterScreen.prototype.skipRating = function () {
    if (this.prompt && !this.prompt.thanked) this.closeRating();
  };

  CounterScreen.prototype.closeRating = function () {
    this.promptToken += 1;
    this.ratingSince = 0;
    this.ratingTimer = cancel(this.ratingTimer);
    this.thanksTimer = cancel(this.thanksTimer);
    this.floorTimer = cancel(this.floorTimer);
    this.setRating(null);
  };

  CounterScreen.prototype.ratingGivesWay = function () {
    // The next visitor is called: the faces go, but not before the floor (the visitor who
    // was served is still at the counter).
    var self = this;
    if (!this.ratingSince) {
      this.closeRating();
      return;
    }
    var left = RATING_FLOOR_MS - (Date.now() - this.ratingSince);
    if (left <= 0) {
      this.closeRating();
      return;
    }
    this.floorTimer = cancel(this.floorTimer);
    this.floorTimer = later(function () {
      self.floorTimer = null;
      if (!self.prompt || !self.prompt.thanked) self.closeRating();
    }, left);
  };

  CounterScreen.prototype.setRating = function (prompt) {
    this.prompt = prompt;
    var rating = byId("rating");
    show(rating, Boolean(prompt));
    show(byId("ticket-panel"), !prompt);
    if (!prompt) return;
    var arabicFirst = prompt.lang === "ar";
    show(byId("rating-ask"), !prompt.thanked);
    show(byId("thanks"), prompt.thanked);
    setText(byId("rating-number"), prompt.number);
    // The ticket's language on top, and the scale read its way: very unhappy where its
    // reading starts.
    toggle(byId("rating-question"), "en-top", !arabicFirst);
    toggle(byId("faces"), "rtl", arabicFirst);
    toggle(byId("rating-bottom"), "rtl", arabicFirst);
    var skip = byId("skip");
    skip.setAttribute("dir", arabicFirst ? "rtl" : "ltr");
    toggle(skip, "en-first", !arabicFirst);
  };

  function toggle(element, name, on) {
    if (on) element.classList.add(name);
    else element.classList.remove(name);
  }

  // -- sound: the announcer (announce.js), its "sound off" badge and the one touch ---------

  function makeAnnouncer(token) {
    if (!window.TaboorAnnouncer || typeof window.TaboorAnnouncer.create !== "function") {
      if (window.console) window.console.warn("taboor: no announcer (announce.js): calls are not said");
      return null;
    }
    try {
      return window.TaboorAnnouncer.create({ token: token });
    } catch (error) {
      if (window.console) window.console.warn("taboor: the announcer failed to start", error);
      return null;
    }
  }

  function soundControls(announcer, justPaired) {
    var badge = byId("sound-off");
    hook.announcer = Boolean(announcer);
    if (!announcer || !badge) return;
    // Just paired: the one touch is asked for, once, as soon as the browser is known to
    // block sound (it may take a moment to tell).
    var askTouch = justPaired;
    function update() {
      var blocked = Boolean(announcer.blocked);
      hook.soundBlocked = blocked;
      if (session && session.stopped) return;
      show(badge, blocked);
      if (!blocked) hideNotice("touch");
      else if (askTouch) showNotice("touch");
      askTouch = false;
    }
    announcer.onchange = update;
    // The browser lets sound play after a person touches the page: that touch is asked for
    // once on pairing, and any later touch while sound is off is used too.
    function unlock() {
      if (session && session.stopped) return;
      try {
        announcer.unlock();
      } catch (error) {
        // The badge stays on.
      }
      hideNotice("touch");
      update();
    }
    ["pointerdown", "touchstart", "mousedown", "keydown", "click"].forEach(function (name) {
      document.addEventListener(name, unlock, true);
    });
    update();
    askTouch = justPaired && !announcer.blocked; // not known yet: asked when it is
  }

  // -- starting ----------------------------------------------------------------------------

  function pairCode() {
    var match = /(?:^#|&)pair=([^&]+)/.exec(window.location.hash || "");
    return match ? decodeURIComponent(match[1]) : null;
  }

  function forgetFragment() {
    try {
      window.history.replaceState(null, "", window.location.pathname + window.location.search);
    } catch (error) {
      window.location.hash = "";
    }
  }

  async function pair(code) {
    showNotice("pairing");
    for (var attempt = 0; ; attempt += 1) {
      var answer = null;
      try {
        answer = await fetch(API + "/pair", {
          method: "POST",
          cache: "no-store",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({ code: code }),
        });
      } catch (error) {
        answer = null; // the centre away: ask again
      }
      if (answer && answer.status === 200) {
        var body = await answer.json();
        forgetFragment();
        var path = pagePath(body.role, body.counter);
        storage.set(TOKEN_KEY + path, body.token);
        if (path !== window.location.pathname) {
          window.location.replace(path);
          return;
        }
        hideNotice("pairing");
        start(body.token, true);
        return;
      }
      if (answer && answer.status !== 429 && answer.status < 500) {
        // Spent, expired or never a code: the link is no use to anyone now.
        forgetFragment();
        showNotice("spent");
        return;
      }
      var wait = answer ? Number(answer.headers.get("Retry-After")) * 1000 || 0 : 0;
      await sleep(Math.max(wait, backoff(attempt)));
    }
  }

  async function start(token, justPaired) {
    session = { token: token, stopped: false, controller: null, announcer: null };
    hook.state = "connecting";
    var connecting = later(function () {
      showNotice("connecting");
    }, 1500);
    var config;
    var view;
    try {
      config = await patiently(function () {
        return api("/config");
      });
      applyLanguages(config.centre.languages);
      var announcer = null;
      if (KIND === "hall" && !(config.announcements && config.announcements.enabled === false)) {
        announcer = makeAnnouncer(token);
        session.announcer = announcer;
        view = new Hall(config, announcer);
      } else {
        view = new CounterScreen(config, counterOfPath());
      }
      await patiently(function () {
        return view.load();
      });
    } catch (error) {
      if (error instanceof Stopped) return;
      throw error;
    }
    cancel(connecting);
    hideNotice("connecting");
    show(byId("screen"), true);
    hook.state = "running";
    view.start();
    if (KIND === "hall") soundControls(announcer, justPaired);
    follow(view);
  }

  // A screen on a wall stays on: where the browser can keep it awake, it is asked to (again
  // each time the page comes back into view, which lets the lock go).
  function stayAwake() {
    if (!navigator.wakeLock || typeof navigator.wakeLock.request !== "function") return;
    function ask() {
      if (document.visibilityState !== "visible") return;
      navigator.wakeLock.request("screen").catch(function () {
        // Refused (no permission, low battery): the screen's own settings decide.
      });
    }
    document.addEventListener("visibilitychange", ask);
    ask();
  }

  function main() {
    stayAwake();
    var code = pairCode();
    if (code) {
      pair(code);
      return;
    }
    var token = storage.get(TOKEN_KEY + window.location.pathname);
    if (!token) {
      showNotice("unpaired", pairingCommand());
      return;
    }
    start(token, false);
  }

  main();
})();
