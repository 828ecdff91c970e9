/* The visitor's phone pages (docs/phone.md): the ticket (/t/{ref}), the join list (/j/{code})
   and the two notices. Plain script, no framework: the DOM is built with textContent only,
   nothing is evaluated, nothing inline (the server's CSP allows 'self' alone). */
(() => {
  "use strict";

  // Each language under its own name; ar and ur are written right to left.
  const LANGS = {
    ar: "العربية",
    en: "English",
    hi: "हिन्दी",
    ur: "اردو",
    ml: "മലയാളം",
    bn: "বাংলা",
    tl: "Tagalog",
  };
  const RTL = new Set(["ar", "ur"]);
  const ALIASES = { fil: "tl" }; // Android and iOS call Tagalog "Filipino"
  const FINAL = new Set(["served", "no_show", "cancelled"]);
  const API = "/api/v1/public";
  const KEY_LANG = "taboor.lang";
  const KEY_PHONE = "taboor.phone";
  const KEY_TICKETS = "taboor.tickets";
  const KEEP_TICKETS = 5;
  const TICKET_HOURS = 16; // a ticket is for one day: older links are not offered again
  const PHONE_ID = /^[A-Za-z0-9_-]{16,64}$/;
  const REF = /^[A-Za-z0-9._-]{1,200}$/;

  const own = (object, key) => Object.prototype.hasOwnProperty.call(object, key);
  const byId = (id) => document.getElementById(id);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const hasRating = (ticket) => typeof ticket.rating === "number";

  let lang = "ar";
  let strings = {};
  const loaded = {};
  let last = null; // the last PublicTicket seen, from the API or the stream
  let online = true;
  let receivedAt = 0; // when the last ticket came (the phone's clock)
  let lostAt = 0; // when the connection was last lost (the phone's clock)
  let rerender = () => {};

  // What browser tests read: the last ticket, and every alert the page raised.
  const phone = { state: () => last, alerts: [] };
  window.taboorPhone = phone;

  // -- storage (absent in some private modes: then nothing is remembered) --------------

  const store = {
    get(key) {
      try {
        return window.localStorage.getItem(key);
      } catch (error) {
        return null;
      }
    },
    set(key, value) {
      try {
        window.localStorage.setItem(key, value);
      } catch (error) {
        // Not kept: the page still works for this visit.
      }
    },
  };

  // -- language ----------------------------------------------------------------------

  function pickLang() {
    const saved = store.get(KEY_LANG);
    if (saved && own(LANGS, saved)) return saved;
    const wanted = navigator.languages && navigator.languages.length
      ? navigator.languages
      : [navigator.language || ""];
    for (const tag of wanted) {
      let code = String(tag).toLowerCase().split(/[-_]/)[0];
      if (own(ALIASES, code)) code = ALIASES[code];
      if (own(LANGS, code)) return code;
    }
    return "ar";
  }

  function applyDirection(code) {
    document.documentElement.lang = code;
    document.documentElement.dir = RTL.has(code) ? "rtl" : "ltr";
  }

  async function loadStrings(code) {
    if (!own(loaded, code)) {
      const answer = await fetch(`/p/${code}.json`);
      if (!answer.ok) throw new Error(`strings: ${answer.status}`);
      loaded[code] = await answer.json();
    }
    return loaded[code];
  }

  // The strings of the first language, retried until they come (the centre may be away).
  async function loadStringsPatiently(code) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        return await loadStrings(code);
      } catch (error) {
        setOnline(false);
        await sleep(backoff(attempt));
      }
    }
  }

  function t(key, vars) {
    const text = own(strings, key) ? strings[key] : key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (own(vars, name) ? String(vars[name]) : whole));
  }

  // A name given in Arabic and English: Arabic for Arabic, English for every other language.
  function localName(names) {
    if (!names) return "";
    return (lang === "ar" ? names.ar || names.en : names.en || names.ar) || "";
  }

  function translatePage() {
    for (const node of document.querySelectorAll("[data-i18n]")) {
      node.textContent = t(node.dataset.i18n);
    }
    for (const node of document.querySelectorAll("[data-i18n-label]")) {
      node.setAttribute("aria-label", t(node.dataset.i18nLabel));
      node.title = t(node.dataset.i18nLabel);
    }
    const select = byId("lang");
    if (select) select.setAttribute("aria-label", t("lang_label"));
  }

  async function switchLang(code) {
    strings = await loadStrings(code);
    lang = code;
    applyDirection(code);
    translatePage();
    rerender();
  }

  function buildLangSelect() {
    const select = byId("lang");
    if (!select) return;
    for (const code of Object.keys(LANGS)) {
      const option = document.createElement("option");
      option.value = code;
      option.lang = code;
      option.textContent = LANGS[code];
      select.append(option);
    }
    select.value = lang;
    select.addEventListener("change", async () => {
      const code = select.value;
      try {
        await switchLang(code);
        store.set(KEY_LANG, code);
      } catch (error) {
        select.value = lang;
        showError(t("err_offline"), document.querySelector("main:not([hidden])"));
      }
    });
  }

  // -- HTTP --------------------------------------------------------------------------

  // An answer as {status, body, wait}: status 0 when the centre could not be reached.
  async function ask(method, path, body) {
    const init = { method, cache: "no-store", headers: {} };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let answer;
    try {
      answer = await fetch(path, init);
    } catch (error) {
      return { status: 0, body: null, wait: 0 };
    }
    let data = null;
    if (answer.status !== 204) {
      try {
        data = await answer.json();
      } catch (error) {
        data = null;
      }
    }
    const wait = Number(answer.headers.get("Retry-After")) || 0;
    return { status: answer.status, body: data, wait: wait * 1000 };
  }

  // 1 s, 2 s, 4 s … up to 30 s, with some randomness so phones do not come back together.
  function backoff(attempt) {
    const ceiling = Math.min(30000, 1000 * 2 ** Math.min(attempt, 5));
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  function errorText(answer) {
    if (answer.status === 0) return t("err_offline");
    if (answer.status === 429) return t("err_too_many");
    const code = answer.body && typeof answer.body.code === "string" ? answer.body.code : "";
    return code && own(strings, `err_${code}`) ? t(`err_${code}`) : t("err_generic");
  }

  let errorTimer = 0;

  // The error shows where the visitor acted (inside `place`), where the eyes already are.
  function showError(text, place) {
    const node = byId("error");
    if (!node) return;
    if (place && node.parentNode !== place) place.append(node);
    node.textContent = text;
    node.hidden = false;
    clearTimeout(errorTimer);
    errorTimer = setTimeout(clearError, 15000);
  }

  function clearError() {
    const node = byId("error");
    if (node) node.hidden = true;
  }

  function setOnline(ok) {
    if (online && !ok) lostAt = Date.now();
    online = ok;
    const banner = byId("offline");
    if (banner) banner.hidden = ok;
    document.body.classList.toggle("stale", !ok && last !== null);
    const asof = byId("asof");
    if (asof) {
      asof.hidden = ok || !last;
      // The view was current until the connection went: that moment on the centre's clock.
      const time = last ? clock(last.at, Math.max(0, lostAt - receivedAt)) : "";
      asof.textContent = time ? t("last_known", { time }) : "";
    }
  }

  // HH:MM on the centre's own clock (the offset its ISO time carries), `later` ms after `iso`,
  // whatever the phone's time zone.
  function clock(iso, later) {
    const text = String(iso || "");
    const when = Date.parse(text);
    if (Number.isNaN(when)) return "";
    const zone = /([+-])(\d{2}):(\d{2})$/.exec(text);
    const offset = zone ? (zone[1] === "-" ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) : 0;
    return new Date(when + later + offset * 60000).toISOString().slice(11, 16);
  }

  function busy(button, on) {
    button.disabled = on;
    button.setAttribute("aria-busy", on ? "true" : "false");
  }

  // -- my tickets (ref, number and service only: nothing personal) --------------------

  function myTickets() {
    let list;
    try {
      list = JSON.parse(store.get(KEY_TICKETS) || "[]");
    } catch (error) {
      return [];
    }
    if (!Array.isArray(list)) return [];
    const since = Date.now() - TICKET_HOURS * 3600 * 1000;
    return list.filter(
      (item) => item && typeof item.ref === "string" && REF.test(item.ref)
        && typeof item.number === "string" && Number(item.saved) > since,
    );
  }

  function rememberTicket(ticket, ref) {
    if (typeof ref !== "string" || !REF.test(ref)) return;
    const list = myTickets().filter((item) => item.ref !== ref);
    const over = ticket.state === "no_show" || ticket.state === "cancelled"
      || (ticket.state === "served" && hasRating(ticket));
    if (!over) {
      list.unshift({ ref, number: String(ticket.number), service: ticket.service, saved: Date.now() });
    }
    store.set(KEY_TICKETS, JSON.stringify(list.slice(0, KEEP_TICKETS)));
  }

  function showMyTickets(names) {
    const box = byId("mine");
    const list = byId("mine-list");
    if (!box || !list) return;
    const mine = myTickets();
    list.replaceChildren();
    for (const item of mine) {
      const link = document.createElement("a");
      link.href = `/t/${item.ref}`;
      link.textContent = t("my_ticket", { number: item.number });
      const name = names && own(names, item.service) ? localName(names[item.service]) : "";
      if (name) {
        const detail = document.createElement("span");
        detail.className = "small";
        detail.textContent = ` · ${name}`;
        link.append(detail);
      }
      const row = document.createElement("li");
      row.append(link);
      list.append(row);
    }
    box.hidden = mine.length === 0;
  }

  // The link of a ticket the API answered, only if it is a ticket page on this site.
  function ticketLink(link) {
    if (typeof link !== "string") return null;
    try {
      const url = new URL(link, window.location.href);
      return url.origin === window.location.origin && /^\/t\/[^/]+$/.test(url.pathname)
        ? url.pathname
        : null;
    } catch (error) {
      return null;
    }
  }

  // -- alerts: vibration, a chime and a notification -------------------------------------

  let audio = null;

  // Browsers let a page make sound only after a tap: every tap makes sure the sound is on.
  function unlockAudio() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      if (!audio) audio = new Context();
      if (audio.state !== "running") audio.resume().catch(() => {});
    } catch (error) {
      audio = null;
    }
  }

  function chime(strong) {
    if (!audio || audio.state !== "running") return; // no tap yet: the phone would refuse
    const notes = strong ? [659, 880, 1319, 880, 1319] : [659, 880];
    const peak = strong ? 0.5 : 0.15;
    notes.forEach((frequency, index) => {
      const start = audio.currentTime + 0.05 + index * 0.22;
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.type = "sine";
      tone.frequency.value = frequency;
      gain.gain.setValueAtTime(0.0001, start);
      gain.gain.exponentialRampToValueAtTime(peak, start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.5);
      tone.connect(gain);
      gain.connect(audio.destination);
      tone.start(start);
      tone.stop(start + 0.55);
    });
  }

  function vibrate(pattern) {
    // Like sound, vibration needs a tap on the page first; asking before only logs an error.
    const activation = navigator.userActivation;
    if (!navigator.vibrate || (activation && !activation.hasBeenActive)) return;
    try {
      navigator.vibrate(pattern);
    } catch (error) {
      // No vibration on this phone.
    }
  }

  function canNotify() {
    return "Notification" in window;
  }

  function registerWorker() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register("/p/sw.js", { scope: "/p/" }).catch(() => {});
    }
  }

  function notify(title, body) {
    if (!canNotify() || Notification.permission !== "granted") return;
    const options = {
      body,
      tag: "taboor",
      renotify: true,
      lang,
      dir: RTL.has(lang) ? "rtl" : "ltr",
      icon: "/p/icon.svg",
      data: window.location.href,
    };
    try {
      new Notification(title, options);
      return;
    } catch (error) {
      // Chrome on Android shows notifications only through a service worker.
    }
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.getRegistration("/p/")
        .then((worker) => worker && worker.showNotification(title, options))
        .catch(() => {});
    }
  }

  function raise(kind, ticket) {
    phone.alerts.push({ kind, at: new Date().toISOString() });
    if (kind === "near") {
      vibrate([200]);
      chime(false);
      notify(t("near_title"), t("near_body"));
    } else {
      vibrate([400, 150, 400, 150, 600]);
      chime(true);
      notify(t("go_to_counter", { counter: counterOf(ticket) }), ticket.number);
    }
  }

  // -- the ticket page --------------------------------------------------------------------

  let ticketRef = "";
  let ticketApi = "";
  let source = null;
  let streamAttempt = 0;
  let streamTimer = 0;
  let hiddenSince = 0;
  let nearArmed = true; // the "turn is near" alert rings once (again after more time)
  let confirming = false;
  let rated = false;

  function counterOf(ticket) {
    return localName(ticket.counter_name) || String(ticket.counter || "");
  }

  function stateText(ticket) {
    if (ticket.state === "cancelled" && ticket.left) return t("state_left");
    return t(`state_${ticket.state}`);
  }

  // A template's text with {name} as a node of its own (word order differs by language).
  function around(template, name, node) {
    const parts = template.split(`{${name}}`);
    const nodes = [document.createTextNode(parts[0]), node];
    if (parts.length > 1) nodes.push(document.createTextNode(parts.slice(1).join("")));
    return nodes;
  }

  function etaNodes(minutes) {
    if (minutes === null || minutes === undefined || minutes <= 0) {
      return [document.createTextNode(etaText(minutes))];
    }
    const figure = document.createElement("span");
    figure.className = "figure";
    figure.textContent = String(minutes);
    return around(t("eta_minutes"), "n", figure);
  }

  function etaText(minutes) {
    if (minutes === null || minutes === undefined) return t("eta_unknown");
    if (minutes <= 0) return t("eta_now");
    return t("eta_minutes", { n: minutes });
  }

  function setText(id, text) {
    const node = byId(id);
    if (node.textContent !== text) node.textContent = text;
  }

  function isNear(ticket) {
    return ticket.state === "waiting" && ticket.ahead <= ticket.alert_ahead;
  }

  function renderTicket() {
    const ticket = last;
    if (!ticket) return;
    byId("loading").hidden = true;
    byId("gone").hidden = true;
    const called = ticket.state === "called";
    const waiting = ticket.state === "waiting";
    document.body.classList.toggle("is-called", called);
    byId("ticket").hidden = false;
    setText("centre", localName(ticket.centre_name));
    setText("number", ticket.number);
    setText("service", localName(ticket.service_name));
    setText("state", stateText(ticket));
    document.title = `${ticket.number} · ${stateText(ticket)}`;

    const hint = byId("hint");
    if (ticket.state === "no_show") hint.textContent = t("no_show_hint");
    else if (isNear(ticket)) hint.textContent = t("near_note");
    hint.hidden = !(ticket.state === "no_show" || isNear(ticket));

    byId("row-ahead").hidden = !waiting;
    setText("ahead", String(ticket.ahead));
    byId("row-eta").hidden = !waiting;
    const eta = byId("eta");
    if (eta.textContent !== etaText(ticket.eta_minutes)) eta.replaceChildren(...etaNodes(ticket.eta_minutes));

    // One counter element: huge in the call, a figure while being served.
    const counter = byId("counter");
    setText("counter", counterOf(ticket));
    counter.classList.toggle("named", counterOf(ticket).length > 3);
    byId("called").hidden = !called;
    if (called) {
      byId("go").replaceChildren(...around(t("go_to_counter"), "counter", counter));
      byId("again").hidden = !(ticket.recalls > 0);
    } else if (counter.parentNode !== byId("counter-row")) {
      byId("counter-row").append(counter);
    }
    byId("row-counter").hidden = !(ticket.state === "serving" && counterOf(ticket));

    renderWaiting(ticket, waiting);
    const served = ticket.state === "served";
    const thanked = rated || hasRating(ticket);
    byId("rate").hidden = !(served && !thanked);
    byId("thanks").hidden = !(served && thanked);
    setOnline(online);
  }

  function renderWaiting(ticket, waiting) {
    byId("waiting").hidden = !waiting;
    byId("sms").hidden = !waiting || ticket.texts === false;
    if (!waiting) confirming = false;
    const permission = canNotify() ? Notification.permission : "denied";
    byId("notify").hidden = permission !== "default";
    byId("notify-on").hidden = permission !== "granted";
    const moreTime = byId("more-time");
    if (moreTime.getAttribute("aria-busy") !== "true") moreTime.disabled = ticket.more_time_left <= 0;
    setText("more-left", t("more_time_left", { n: ticket.more_time_left }));
    byId("leave").hidden = confirming;
    byId("confirm").hidden = !confirming;
    setText("confirm-text", t("leave_ask", { number: ticket.number }));
    byId("sms-form").hidden = Boolean(ticket.sms);
    byId("sms-on").hidden = !ticket.sms;
  }

  function alertOnChange(before, now) {
    if (now.state === "waiting" && nearArmed && isNear(now)) {
      nearArmed = false;
      raise("near", now);
    }
    if (now.state !== "called") return;
    if (!before || before.state !== "called" || before.counter !== now.counter) {
      raise("called", now);
    } else if (now.recalls > before.recalls) {
      raise("recall", now);
    }
  }

  function showTicket(ticket) {
    if (!ticket || typeof ticket !== "object" || typeof ticket.state !== "string") return;
    const before = last;
    last = ticket;
    receivedAt = Date.now();
    rememberTicket(ticket, ticketRef);
    renderTicket();
    alertOnChange(before, ticket);
    if (FINAL.has(ticket.state)) stopFollowing();
  }

  // The server sends a ping every few seconds: this long without a word, the link is dead
  // even if the browser has not noticed (a phone that changed networks, a proxy that hung).
  const SILENT_MS = 20000;
  let watchdog = 0;

  function heard(stream) {
    clearTimeout(watchdog);
    watchdog = setTimeout(() => {
      if (source !== stream) return;
      setOnline(false);
      follow();
    }, SILENT_MS);
  }

  function stopFollowing() {
    clearTimeout(streamTimer);
    clearTimeout(watchdog);
    if (source) source.close();
    source = null;
  }

  function follow() {
    stopFollowing();
    if (last && FINAL.has(last.state)) return;
    const stream = new EventSource(`${ticketApi}/stream`);
    source = stream;
    heard(stream);
    stream.addEventListener("ticket", (event) => {
      let ticket;
      try {
        ticket = JSON.parse(event.data);
      } catch (error) {
        return;
      }
      streamAttempt = 0;
      heard(stream);
      setOnline(true);
      showTicket(ticket);
    });
    stream.addEventListener("ping", () => {
      if (source === stream) heard(stream);
    });
    stream.addEventListener("error", () => {
      if (source !== stream) return;
      // The server ends the stream after a final state: that is no fault.
      if (last && FINAL.has(last.state)) {
        stopFollowing();
        return;
      }
      setOnline(false);
      // EventSource retries by itself unless the answer was refused (a 404, a 429 …).
      if (stream.readyState === EventSource.CLOSED) {
        source = null;
        streamTimer = setTimeout(follow, backoff(streamAttempt));
        streamAttempt += 1;
      }
    });
  }

  // A phone asleep may have lost its stream without a word: back in sight, start again.
  function wake() {
    if (!ticketApi || !last || FINAL.has(last.state)) return;
    const away = hiddenSince ? Date.now() - hiddenSince : 0;
    if (!source || source.readyState !== EventSource.OPEN || away > 20000) follow();
  }

  async function firstTicket() {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await ask("GET", ticketApi);
      if (answer.status === 200 && answer.body) return answer.body;
      if (answer.status === 404) return null;
      setOnline(false);
      await sleep(answer.wait || backoff(attempt));
    }
  }

  async function startTicket(ref, stringsReady) {
    ticketRef = ref;
    ticketApi = `${API}/tickets/${ref}`;
    wireTicketButtons();
    rerender = renderTicket;
    const [ticket] = await Promise.all([firstTicket(), stringsReady]);
    if (!ticket) {
      byId("loading").hidden = true;
      byId("gone").hidden = false;
      return;
    }
    setOnline(true);
    showTicket(ticket);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") hiddenSince = Date.now();
      else wake();
    });
    window.addEventListener("online", wake);
    if (canNotify() && Notification.permission === "granted") registerWorker();
    follow();
  }

  function wireTicketButtons() {
    byId("notify").addEventListener("click", async () => {
      unlockAudio();
      try {
        await Notification.requestPermission();
      } catch (error) {
        // Older browsers answer through a callback only; the permission is read below.
      }
      if (Notification.permission === "granted") registerWorker();
      renderTicket();
    });

    byId("more-time").addEventListener("click", async (event) => {
      const button = event.currentTarget;
      clearError();
      busy(button, true);
      const answer = await ask("POST", `${ticketApi}/more-time`);
      busy(button, false);
      if (answer.status === 200 && answer.body) {
        nearArmed = answer.body.ahead > answer.body.alert_ahead;
        showTicket(answer.body);
        const done = byId("more-done");
        done.hidden = false;
        setTimeout(() => {
          done.hidden = true;
        }, 8000);
      } else {
        byId("more-done").hidden = true;
        showError(errorText(answer), button.parentNode);
      }
      renderTicket();
    });

    byId("leave").addEventListener("click", () => {
      confirming = true;
      renderTicket();
      byId("leave-confirm").focus();
    });
    byId("leave-cancel").addEventListener("click", () => {
      confirming = false;
      renderTicket();
      byId("leave").focus();
    });
    byId("leave-confirm").addEventListener("click", async (event) => {
      const button = event.currentTarget;
      clearError();
      busy(button, true);
      const answer = await ask("POST", `${ticketApi}/leave`);
      busy(button, false);
      if (answer.status === 200 && answer.body) {
        confirming = false;
        showTicket(answer.body);
      } else {
        showError(errorText(answer), byId("confirm"));
      }
    });

    byId("sms-form").addEventListener("submit", async (event) => {
      event.preventDefault();
      const input = byId("sms-input");
      const number = input.value.trim();
      clearError();
      if (!/\d/.test(number)) {
        showError(t("err_bad_phone"), byId("sms"));
        input.focus();
        return;
      }
      const button = byId("sms-submit");
      busy(button, true);
      const answer = await ask("PUT", `${ticketApi}/sms`, { phone: number, lang });
      busy(button, false);
      if (answer.status === 204) {
        input.value = "";
        last = { ...last, sms: true };
        renderTicket();
      } else {
        showError(errorText(answer), byId("sms"));
      }
    });

    byId("sms-stop").addEventListener("click", async (event) => {
      const button = event.currentTarget;
      clearError();
      busy(button, true);
      const answer = await ask("DELETE", `${ticketApi}/sms`);
      busy(button, false);
      if (answer.status === 204) {
        last = { ...last, sms: false };
        renderTicket();
      } else {
        showError(errorText(answer), byId("sms"));
      }
    });

    for (const face of document.querySelectorAll("[data-rating]")) {
      face.addEventListener("click", async () => {
        const rating = Number(face.dataset.rating);
        clearError();
        for (const other of document.querySelectorAll("[data-rating]")) other.disabled = true;
        const answer = await ask("POST", `${ticketApi}/feedback`, { rating });
        for (const other of document.querySelectorAll("[data-rating]")) other.disabled = false;
        const already = answer.status === 409 && answer.body && answer.body.code === "already_rated";
        if (answer.status === 204 || already) {
          rated = true;
          last = { ...last, rating: already ? last.rating : rating };
          rememberTicket(last, ticketRef);
          renderTicket();
          byId("thanks").focus();
        } else {
          showError(errorText(answer), byId("rate"));
        }
      });
    }
  }

  // -- the join page ----------------------------------------------------------------------

  let joinCode = "";
  let services = null; // {centre_name, services}
  let joining = false;
  let expired = false;

  function phoneId() {
    const kept = store.get(KEY_PHONE);
    if (kept && PHONE_ID.test(kept)) return kept;
    const bytes = new Uint8Array(18);
    window.crypto.getRandomValues(bytes);
    const made = btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, "-")
      .replace(/\//g, "_")
      .replace(/=+$/, "");
    store.set(KEY_PHONE, made);
    return made;
  }

  function reasonText(service) {
    if (service.reason === "paused") return t("service_paused");
    if (service.reason === "full") return t("service_full");
    return t("service_closed");
  }

  function renderJoin() {
    byId("loading").hidden = true;
    byId("join").hidden = false;
    byId("join-open").hidden = expired;
    byId("join-expired").hidden = !expired;
    byId("joining").hidden = !joining;
    const names = {};
    const list = byId("services");
    list.replaceChildren();
    const offered = services && Array.isArray(services.services) ? services.services : [];
    if (services) setText("centre", localName(services.centre_name));
    for (const service of offered) {
      names[service.service] = service.name;
      const button = document.createElement("button");
      button.type = "button";
      button.className = "service-btn";
      button.dataset.testid = `service-${service.service}`;
      button.disabled = !service.open || joining;
      const name = document.createElement("span");
      name.className = "name";
      name.textContent = localName(service.name);
      const detail = document.createElement("span");
      detail.className = "detail";
      detail.textContent = service.open
        ? `${t("waiting_n", { n: service.waiting })} · ${etaText(service.eta_minutes)}`
        : reasonText(service);
      button.append(name, detail);
      if (!service.open && service.reason === "paused" && service.note) {
        const note = document.createElement("span");
        note.className = "reason-note";
        note.dir = "auto"; // the supervisor's own words, in whatever language
        note.textContent = String(service.note);
        button.append(note);
      }
      button.addEventListener("click", () => join(service.service));
      const row = document.createElement("li");
      row.append(button);
      list.append(row);
    }
    byId("no-services").hidden = !services || offered.some((service) => service.open);
    showMyTickets(names);
  }

  async function loadServices() {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await ask("GET", `${API}/services?code=${encodeURIComponent(joinCode)}`);
      if (answer.status === 200 && answer.body) {
        services = answer.body;
        setOnline(true);
        return;
      }
      if (answer.status === 410) {
        expired = true;
        setOnline(true);
        return;
      }
      setOnline(false);
      await sleep(answer.wait || backoff(attempt));
    }
  }

  async function join(service) {
    if (joining) return;
    joining = true;
    clearError();
    renderJoin();
    const answer = await ask("POST", `${API}/tickets`, {
      code: joinCode,
      service,
      lang, // the page's language: the server picks the ticket's (Arabic or English) from it
      phone: phoneId(),
    });
    const body = answer.body || {};
    const link = ticketLink(body.link);
    if (answer.status === 201 && link) {
      if (body.ticket) rememberTicket(body.ticket, link.slice(3));
      window.location.assign(link);
      return;
    }
    if (answer.status === 409 && body.code === "already_has_ticket" && link) {
      window.location.assign(link);
      return;
    }
    joining = false;
    if (answer.status === 410) {
      expired = true;
    } else {
      showError(errorText(answer), byId("join-open"));
      if (answer.status === 409) await loadServices();
    }
    renderJoin();
  }

  async function startJoin(code, stringsReady) {
    joinCode = code;
    rerender = renderJoin;
    await Promise.all([loadServices(), stringsReady]);
    renderJoin();
  }

  // -- the notices (not found, expired): Arabic and English are in the page ----------------

  async function startNotice(kind) {
    const notice = byId("notice");
    try {
      strings = await loadStrings(lang);
    } catch (error) {
      return; // the page already says it in Arabic and English
    }
    translatePage();
    showMyTickets(null);
    const english = notice.querySelector('section[lang="en"]');
    if (lang === "en") {
      notice.prepend(english);
    } else if (lang !== "ar") {
      const section = document.createElement("section");
      section.className = "box";
      section.lang = lang;
      section.dir = RTL.has(lang) ? "rtl" : "ltr";
      const title = document.createElement("h1");
      title.textContent = t(`${kind}_title`);
      const hint = document.createElement("p");
      hint.textContent = t(`${kind}_hint`);
      section.append(title, hint);
      notice.prepend(section);
    }
  }

  // -- start ------------------------------------------------------------------------------

  function start() {
    lang = pickLang();
    const page = document.body.dataset.page;
    if (page !== "phone") {
      startNotice(page);
      return;
    }
    applyDirection(lang);
    document.addEventListener("pointerup", unlockAudio, { capture: true, passive: true });
    document.addEventListener("keydown", unlockAudio, { capture: true });
    buildLangSelect();
    const stringsReady = loadStringsPatiently(lang).then((found) => {
      strings = found;
      translatePage();
    });
    const [, kind, token] = window.location.pathname.split("/");
    if (kind === "t" && token && REF.test(token)) startTicket(token, stringsReady);
    else if (kind === "j" && token) startJoin(decodeSafely(token), stringsReady);
    else {
      stringsReady.then(() => {
        byId("loading").hidden = true;
        byId("gone").hidden = false;
      });
    }
  }

  function decodeSafely(text) {
    try {
      return decodeURIComponent(text);
    } catch (error) {
      return text;
    }
  }

  start();
})();
