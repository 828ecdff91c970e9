/* Head office's page (docs/hq.md): every centre live from head office's event stream, the
   centres compared over a period, and one centre's report. Plain script, no framework, no
   build step; nothing inline (the CSP allows 'self' alone), text only through textContent.
   Arabic (right to left) and English; the choice is kept in localStorage. */
(function () {
  "use strict";

  var KEY_LANG = "taboor.hq.lang";
  // The report's figures this page knows, in the order shown; any other field is ignored.
  var COLUMNS = [
    "visitors",
    "served",
    "no_shows",
    "cancelled",
    "wait_mean_s",
    "wait_p50_s",
    "wait_p90_s",
    "service_mean_s",
    "sla_pct",
    "satisfaction",
    "ratings",
  ];
  var SECONDS = { wait_mean_s: true, wait_p50_s: true, wait_p90_s: true, service_mean_s: true };
  var PERIOD_COLUMNS = [
    "sla_pct",
    "satisfaction",
    "ratings",
    "visitors",
    "served",
    "no_shows",
    "wait_p50_s",
    "wait_p90_s",
  ];

  var TEXT = {
    ar: {
      title: "الإدارة: جميع المراكز",
      lost: "انقطع الاتصال بخادم الإدارة — جارٍ إعادة المحاولة… الأرقام المعروضة قد تكون قديمة",
      live: "الآن",
      period: "مقارنة المراكز خلال فترة",
      today: "اليوم",
      last7: "آخر ٧ أيام",
      last30: "آخر ٣٠ يومًا",
      month: "هذا الشهر",
      from: "من",
      to: "إلى",
      rank_by: "الترتيب حسب",
      by_sla: "مستوى الخدمة",
      by_satisfaction: "رضا المراجعين",
      compare: "قارن",
      split_by: "التقسيم حسب",
      by_day: "اليوم",
      by_week: "الأسبوع",
      by_month: "الشهر",
      by_service: "الخدمة",
      by_counter: "الكاونتر",
      by_clerk: "الموظف",
      by_hour: "الساعة",
      by_weekday_hour: "اليوم والساعة",
      close: "إغلاق",
      waiting: "في الانتظار",
      longest: "أطول انتظار",
      counters_open: "الكاونترات المفتوحة",
      breaches: "تجاوزوا أقصى انتظار",
      satisfaction_today: "رضا اليوم",
      served_today: "خدمتهم اليوم",
      central_link: "الربط مع النظام المركزي",
      overall: "{centres} مراكز · {live} متصلة · {waiting} في الانتظار · {breaches} تجاوزوا أقصى انتظار",
      live_at: "مباشر · {time}",
      waiting_first: "لم يُتصل به بعد",
      unreachable_since: "تعذّر الوصول منذ {time}",
      refused_since: "رفض المركز رمز الإدارة منذ {time}",
      no_summary_since: "خادم المركز قديم لا يقدّم الملخص (منذ {time})",
      failed_since: "إجابة غير مفهومة منذ {time}",
      never: "لم يُجب أبدًا",
      minutes: "{n} د",
      under_minute: "أقل من دقيقة",
      none: "لا أحد",
      of_services: "{n} ({services})",
      rating: "{mean} من ٥ ({n} تقييم)",
      rating_one: "{mean} من ٥ (تقييم واحد)",
      no_ratings: "لا تقييمات بعد",
      link_online: "متصل",
      link_offline: "غير متصل",
      link_auth_failed: "رفض النظام المركزي بيانات الدخول",
      link_off: "غير مفعّل",
      pending: "{n} في الانتظار للإرسال",
      of_visitors: "{served} من {visitors}",
      place: "الترتيب",
      centre: "المركز",
      loading: "جارٍ التحميل…",
      compared: "من {from} إلى {to}: رُتّبت المراكز حسب {by}. اختر مركزًا لعرض تقريره.",
      bad_period: "اختر تاريخي البداية والنهاية، والبداية قبل النهاية.",
      no_answer: "لم يُجب ({detail})",
      failed: "تعذّر الحصول على الأرقام: {detail}",
      report_of: "{name}: من {from} إلى {to}",
      no_rows: "لا زوار في هذه الفترة.",
      total: "المجموع",
      no_key: "—",
      visitors: "الزوار",
      served: "تمت خدمتهم",
      no_shows: "لم يحضروا",
      cancelled: "ملغاة",
      wait_mean_s: "متوسط الانتظار",
      wait_p50_s: "وسيط الانتظار",
      wait_p90_s: "انتظر ٩٠٪ أقل من",
      service_mean_s: "متوسط مدة الخدمة",
      sla_pct: "مستوى الخدمة",
      satisfaction: "الرضا",
      ratings: "التقييمات",
    },
    en: {
      title: "Head office: every centre",
      lost: "Lost the connection to head office's server — retrying… the figures shown may be old",
      live: "Now",
      period: "Centres compared over a period",
      today: "Today",
      last7: "Last 7 days",
      last30: "Last 30 days",
      month: "This month",
      from: "From",
      to: "To",
      rank_by: "Rank by",
      by_sla: "Service level",
      by_satisfaction: "Satisfaction",
      compare: "Compare",
      split_by: "Split by",
      by_day: "Day",
      by_week: "Week",
      by_month: "Month",
      by_service: "Service",
      by_counter: "Counter",
      by_clerk: "Clerk",
      by_hour: "Hour",
      by_weekday_hour: "Weekday and hour",
      close: "Close",
      waiting: "Waiting",
      longest: "Longest wait",
      counters_open: "Counters open",
      breaches: "Past the maximum wait",
      satisfaction_today: "Satisfaction today",
      served_today: "Served today",
      central_link: "Central link",
      overall: "{centres} centres · {live} live · {waiting} waiting · {breaches} past the maximum wait",
      live_at: "Live · {time}",
      waiting_first: "Not reached yet",
      unreachable_since: "Unreachable since {time}",
      refused_since: "The centre refused head office's token since {time}",
      no_summary_since: "The centre's server is too old for the summary (since {time})",
      failed_since: "An answer that makes no sense since {time}",
      never: "never answered",
      minutes: "{n} min",
      under_minute: "under a minute",
      none: "none",
      of_services: "{n} ({services})",
      rating: "{mean} of 5 ({n} ratings)",
      rating_one: "{mean} of 5 (1 rating)",
      no_ratings: "no ratings yet",
      link_online: "online",
      link_offline: "offline",
      link_auth_failed: "the central refused our credentials",
      link_off: "not set up",
      pending: "{n} waiting to be sent",
      of_visitors: "{served} of {visitors}",
      place: "Place",
      centre: "Centre",
      loading: "Loading…",
      compared: "{from} to {to}: centres ranked by {by}. Choose a centre to see its report.",
      bad_period: "Choose a start and an end date, the start first.",
      no_answer: "no answer ({detail})",
      failed: "Could not get the figures: {detail}",
      report_of: "{name}: {from} to {to}",
      no_rows: "No visitors in this period.",
      total: "Total",
      no_key: "—",
      visitors: "Visitors",
      served: "Served",
      no_shows: "No-shows",
      cancelled: "Cancelled",
      wait_mean_s: "Mean wait",
      wait_p50_s: "Median wait",
      wait_p90_s: "90% waited under",
      service_mean_s: "Mean service time",
      sla_pct: "Service level",
      satisfaction: "Satisfaction",
      ratings: "Ratings",
    },
  };

  // What browser tests read: the last state, how often it was drawn, the last period and report.
  var hook = { state: null, renders: 0, connected: false, period: null, report: null };
  window.taboorHq = hook;

  var lang = pickLang();
  var last = null; // the last state from the stream
  var period = null; // the last period compared: {from, to, centres}
  var drill = null; // {centre, from, to, by, report}

  // -- small helpers --------------------------------------------------------------------

  function byId(id) {
    return document.getElementById(id);
  }

  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function t(key, vars) {
    var table = TEXT[lang];
    var text = own(table, key) ? table[key] : key;
    if (!vars) return text;
    // Each value isolated (FSI … PDI), so a date or a number keeps its order in Arabic.
    return text.replace(/\{(\w+)\}/g, function (whole, name) {
      return own(vars, name) ? "\u2068" + String(vars[name]) + "\u2069" : whole;
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function localName(names) {
    if (!names) return "";
    return (lang === "ar" ? names.ar || names.en : names.en || names.ar) || "";
  }

  function isNumber(value) {
    return typeof value === "number" && isFinite(value);
  }

  // -- language ---------------------------------------------------------------------------

  function pickLang() {
    var saved = null;
    try {
      saved = window.localStorage.getItem(KEY_LANG);
    } catch (error) {
      saved = null;
    }
    if (saved === "ar" || saved === "en") return saved;
    var wanted = String(navigator.language || "ar").toLowerCase();
    return wanted.indexOf("en") === 0 ? "en" : "ar";
  }

  function applyLang() {
    document.documentElement.lang = lang;
    document.documentElement.dir = lang === "ar" ? "rtl" : "ltr";
    document.title = t("title") + " · Taboor";
    var nodes = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i += 1) {
      nodes[i].textContent = t(nodes[i].getAttribute("data-i18n"));
    }
    var button = byId("lang");
    button.textContent = lang === "ar" ? "English" : "العربية";
    button.lang = lang === "ar" ? "en" : "ar";
  }

  function switchLang() {
    lang = lang === "ar" ? "en" : "ar";
    try {
      window.localStorage.setItem(KEY_LANG, lang);
    } catch (error) {
      // Not kept: the page still switches for this visit.
    }
    applyLang();
    redraw();
  }

  function redraw() {
    if (last) render(last);
    if (period) renderPeriod(period);
    if (drill) renderDrill();
  }

  // -- times and figures --------------------------------------------------------------------

  // "2026-11-22T09:41:05+03:00" → "09:41" (head office's own time zone, as the server wrote it);
  // a time of another day than now carries its date.
  function clockOf(iso, nowIso, seconds) {
    if (!iso) return "";
    var time = iso.substr(11, seconds ? 8 : 5);
    if (nowIso && iso.substr(0, 10) !== nowIso.substr(0, 10)) return iso.substr(0, 10) + " " + time;
    return time;
  }

  function minutes(seconds) {
    if (!isNumber(seconds)) return "—";
    if (seconds < 60) return seconds <= 0 ? t("none") : t("under_minute");
    return t("minutes", { n: Math.floor(seconds / 60) });
  }

  function duration(seconds) {
    if (!isNumber(seconds)) return "—";
    var whole = Math.round(seconds);
    var h = Math.floor(whole / 3600);
    var m = Math.floor((whole % 3600) / 60);
    var s = whole % 60;
    var pad = function (n) {
      return n < 10 ? "0" + n : String(n);
    };
    return h ? h + ":" + pad(m) + ":" + pad(s) : m + ":" + pad(s);
  }

  function cell(name, value) {
    if (value === null || value === undefined) return "—";
    if (own(SECONDS, name)) return duration(value);
    if (name === "sla_pct") return isNumber(value) ? value.toFixed(1) + "%" : "—";
    if (name === "satisfaction") return isNumber(value) ? value.toFixed(2) : "—";
    return String(value);
  }

  // -- live ----------------------------------------------------------------------------------

  function render(state) {
    last = state;
    hook.state = state;
    var cards = byId("cards");
    var seen = {};
    var live = 0;
    var waiting = 0;
    var breaches = 0;
    state.centres.forEach(function (centre) {
      seen[centre.id] = true;
      var card = cardOf(cards, centre.id);
      drawCard(card, centre, state.at);
      if (centre.state === "live") live += 1;
      if (centre.summary) {
        waiting += centre.summary.waiting || 0;
        breaches += centre.summary.breaches || 0;
      }
    });
    Array.prototype.slice.call(cards.children).forEach(function (card) {
      if (!own(seen, card.getAttribute("data-centre"))) cards.removeChild(card);
    });
    byId("overall").textContent = t("overall", {
      centres: state.centres.length,
      live: live,
      waiting: waiting,
      breaches: breaches,
    });
    if (!byId("from").value) preset("7");
    hook.renders += 1;
  }

  function cardOf(cards, id) {
    var found = cards.querySelector('[data-centre="' + CSS.escape(id) + '"]');
    if (found) return found;
    var card = byId("card").content.firstElementChild.cloneNode(true);
    card.setAttribute("data-centre", id);
    card.setAttribute("data-testid", "centre-" + id);
    ["waiting", "longest", "counters", "breaches", "satisfaction", "served", "link"].forEach(
      function (name) {
        card.querySelector("." + name).setAttribute("data-testid", "centre-" + id + "-" + name);
      }
    );
    card.querySelector(".card-state").setAttribute("data-testid", "centre-" + id + "-state");
    var labels = card.querySelectorAll("[data-i18n]");
    for (var i = 0; i < labels.length; i += 1) {
      labels[i].textContent = t(labels[i].getAttribute("data-i18n"));
    }
    cards.appendChild(card);
    return card;
  }

  function drawCard(card, centre, nowIso) {
    card.setAttribute("data-state", centre.state);
    card.classList.toggle("stale", centre.state !== "live");
    card.querySelector(".card-name").textContent = localName(centre.name);
    var since = centre.last_ok ? clockOf(centre.last_ok, nowIso) : t("never");
    var state = card.querySelector(".card-state");
    if (centre.state === "live") {
      state.textContent = t("live_at", { time: clockOf(centre.last_ok, nowIso, true) });
    } else if (centre.state === "waiting") {
      state.textContent = t("waiting_first");
    } else {
      state.textContent = t(centre.state + "_since", { time: since });
    }
    state.title = centre.detail || "";
    var summary = centre.summary;
    var figures = card.querySelector(".figures");
    figures.hidden = !summary;
    if (!summary) return;
    card.querySelector(".waiting").textContent = String(summary.waiting);
    card.querySelector(".longest").textContent = minutes(summary.longest_wait_s);
    card.querySelector(".counters").textContent = summary.counters_open + " / " + summary.counters;
    var breaches = card.querySelector(".breaches");
    var late = (summary.services || []).filter(function (s) {
      return s.breaches > 0;
    });
    breaches.textContent = summary.breaches
      ? t("of_services", {
          n: summary.breaches,
          services: late
            .map(function (s) {
              return localName(s.name);
            })
            .join(lang === "ar" ? "، " : ", "),
        })
      : "0";
    breaches.classList.toggle("alarm", summary.breaches > 0);
    var today = summary.today || {};
    card.querySelector(".satisfaction").textContent = isNumber(today.satisfaction)
      ? t(today.ratings === 1 ? "rating_one" : "rating", {
          mean: today.satisfaction.toFixed(2),
          n: today.ratings,
        })
      : t("no_ratings");
    card.querySelector(".served").textContent = t("of_visitors", {
      served: today.served,
      visitors: today.visitors,
    });
    var link = summary.sync || {};
    var linkText = t("link_" + link.link);
    // Events wait to be sent only where a sync agent runs.
    if (link.pending && link.link !== "off") linkText += " · " + t("pending", { n: link.pending });
    var linkNode = card.querySelector(".link");
    linkNode.textContent = linkText;
    linkNode.classList.toggle("alarm", link.link === "offline" || link.link === "auth_failed");
  }

  function follow() {
    var source = new EventSource("/api/stream");
    source.addEventListener("state", function (message) {
      hook.connected = true;
      byId("lost").hidden = true;
      render(JSON.parse(message.data));
    });
    source.onerror = function () {
      // EventSource tries again by itself; meanwhile the last figures stay, said to be old.
      hook.connected = false;
      byId("lost").hidden = false;
    };
  }

  // -- periods ----------------------------------------------------------------------------------

  function today() {
    if (last && last.at) return last.at.substr(0, 10);
    var now = new Date();
    return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().substr(0, 10);
  }

  function shifted(isoDay, days) {
    var at = new Date(isoDay + "T12:00:00Z");
    at.setUTCDate(at.getUTCDate() + days);
    return at.toISOString().substr(0, 10);
  }

  function preset(which) {
    var end = today();
    var start = end;
    if (which === "7") start = shifted(end, -6);
    else if (which === "30") start = shifted(end, -29);
    else if (which === "month") start = end.substr(0, 8) + "01";
    byId("from").value = start;
    byId("to").value = end;
    compare();
  }

  function getJson(url) {
    return fetch(url, { cache: "no-store" }).then(function (answer) {
      return answer.json().then(function (body) {
        if (!answer.ok) throw new Error(body && body.error ? body.error : String(answer.status));
        return body;
      });
    });
  }

  var comparisons = 0;

  function compare() {
    var from = byId("from").value;
    var to = byId("to").value;
    if (!from || !to || from > to) {
      byId("period-note").textContent = t("bad_period");
      return;
    }
    byId("period-note").textContent = t("loading");
    var query = "from=" + encodeURIComponent(from) + "&to=" + encodeURIComponent(to);
    // Only the latest comparison asked for is shown: an older answer arriving late is dropped.
    var asked = ++comparisons;
    getJson("/api/period?" + query).then(
      function (body) {
        if (asked !== comparisons) return;
        period = body;
        hook.period = body;
        renderPeriod(body);
        if (drill && drill.centre) openDrill(drill.centre);
      },
      function (error) {
        if (asked !== comparisons) return;
        byId("period-note").textContent = t("failed", { detail: error.message });
      }
    );
  }

  function sortedStandings(body) {
    var bySatisfaction = byId("rank-by").value === "satisfaction";
    var order = body.centres.slice();
    if (bySatisfaction) {
      order.sort(function (a, b) {
        var pa = a.satisfaction_place === null ? 1e9 : a.satisfaction_place;
        var pb = b.satisfaction_place === null ? 1e9 : b.satisfaction_place;
        return pa - pb;
      });
    }
    return order;
  }

  function renderPeriod(body) {
    var bySatisfaction = byId("rank-by").value === "satisfaction";
    byId("period-note").textContent = t("compared", {
      from: body.from,
      to: body.to,
      by: t(bySatisfaction ? "by_satisfaction" : "by_sla"),
    });
    var head = byId("period-head");
    clear(head);
    head.appendChild(el("th", "", t("place")));
    head.appendChild(el("th", "", t("centre")));
    PERIOD_COLUMNS.forEach(function (name) {
      head.appendChild(el("th", "num", t(name)));
    });
    var rows = byId("period-body");
    clear(rows);
    sortedStandings(body).forEach(function (standing) {
      var row = el("tr", "pick");
      row.setAttribute("data-testid", "period-" + standing.centre);
      row.setAttribute("data-centre", standing.centre);
      row.tabIndex = 0;
      var place = bySatisfaction ? standing.satisfaction_place : standing.sla_place;
      row.appendChild(el("td", "num place", place === null ? "—" : place));
      var name = el("td", "", localName(standing.name));
      if (standing.problem) {
        row.classList.add("stale");
        name.appendChild(el("span", "problem", " · " + t("no_answer", { detail: standing.detail })));
      }
      row.appendChild(name);
      PERIOD_COLUMNS.forEach(function (column) {
        var total = standing.total || {};
        var td = el("td", "num", cell(column, own(total, column) ? total[column] : null));
        td.setAttribute("data-column", column);
        row.appendChild(td);
      });
      row.addEventListener("click", function () {
        openDrill(standing.centre);
      });
      row.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") openDrill(standing.centre);
      });
      rows.appendChild(row);
    });
    byId("period-table").hidden = false;
  }

  // -- one centre's report -----------------------------------------------------------------------

  function nameOf(centreId) {
    var centres = (period && period.centres) || [];
    for (var i = 0; i < centres.length; i += 1) {
      if (centres[i].centre === centreId) return localName(centres[i].name);
    }
    return centreId;
  }

  function openDrill(centreId) {
    if (!period) return;
    var by = byId("drill-by").value;
    drill = { centre: centreId, from: period.from, to: period.to, by: by, report: null };
    byId("drill").hidden = false;
    byId("drill-table").hidden = true;
    byId("drill-note").textContent = t("loading");
    renderDrillTitle();
    var query =
      "from=" + encodeURIComponent(drill.from) + "&to=" + encodeURIComponent(drill.to) + "&by=" + encodeURIComponent(by);
    var asked = drill;
    getJson("/api/centres/" + encodeURIComponent(centreId) + "/report?" + query).then(
      function (body) {
        if (drill !== asked) return;
        drill.report = body.report;
        hook.report = body.report;
        renderDrill();
      },
      function (error) {
        if (drill !== asked) return;
        byId("drill-note").textContent = t("failed", { detail: error.message });
      }
    );
  }

  function renderDrillTitle() {
    byId("drill-title").textContent = t("report_of", {
      name: nameOf(drill.centre),
      from: drill.from,
      to: drill.to,
    });
  }

  // A service's key is its code: shown by the name the centre gives it, when known.
  function keyText(key) {
    if (key === null || key === undefined) return t("no_key");
    if (drill.by === "service" && last) {
      for (var i = 0; i < last.centres.length; i += 1) {
        var centre = last.centres[i];
        if (centre.id !== drill.centre || !centre.summary) continue;
        var services = centre.summary.services || [];
        for (var j = 0; j < services.length; j += 1) {
          if (services[j].service === key) return localName(services[j].name);
        }
      }
    }
    return String(key);
  }

  function reportRow(row, label, className) {
    var tr = el("tr", className || "");
    tr.appendChild(el("th", "", label));
    COLUMNS.forEach(function (column) {
      var td = el("td", "num", cell(column, own(row, column) ? row[column] : null));
      td.setAttribute("data-column", column);
      tr.appendChild(td);
    });
    return tr;
  }

  function renderDrill() {
    renderDrillTitle();
    var report = drill.report;
    if (!report) return;
    var head = byId("drill-headrow");
    clear(head);
    head.appendChild(el("th", "", t("by_" + drill.by.replace("-", "_"))));
    COLUMNS.forEach(function (column) {
      head.appendChild(el("th", "num", t(column)));
    });
    var body = byId("drill-body");
    clear(body);
    report.rows.forEach(function (row) {
      body.appendChild(reportRow(row, keyText(row.key)));
    });
    var foot = byId("drill-foot");
    clear(foot);
    foot.appendChild(reportRow(report.total, t("total"), "total"));
    byId("drill-note").textContent = report.rows.length ? "" : t("no_rows");
    byId("drill-table").hidden = false;
  }

  // -- start --------------------------------------------------------------------------------------

  function start() {
    applyLang();
    byId("lang").addEventListener("click", switchLang);
    byId("picker").addEventListener("submit", function (event) {
      event.preventDefault();
      compare();
    });
    var presets = document.querySelectorAll("[data-preset]");
    for (var i = 0; i < presets.length; i += 1) {
      presets[i].addEventListener("click", function (event) {
        preset(event.currentTarget.getAttribute("data-preset"));
      });
    }
    byId("rank-by").addEventListener("change", function () {
      if (period) renderPeriod(period);
    });
    byId("drill-by").addEventListener("change", function () {
      if (drill) openDrill(drill.centre);
    });
    byId("drill-close").addEventListener("click", function () {
      drill = null;
      byId("drill").hidden = true;
    });
    follow();
  }

  start();
})();
