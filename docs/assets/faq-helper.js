// kim-site: the FAQ helper dialog. The button in the header (a link to the FAQ page
// without JavaScript) opens a dialog; only then are the ranking code and this language's
// index (assets/faq-index.json) loaded, from this site. What the reader types is matched
// here, on the device: nothing is sent anywhere. The chosen Kommune is kept in
// localStorage on the device only.
(function () {
  "use strict";
  var STORAGE_KEY = "kim-kommune";
  var loading = null;
  var dialog = null;

  function remembered() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }
  function remember(slug) {
    try { window.localStorage.setItem(STORAGE_KEY, slug); } catch (e) { /* private mode: fine */ }
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function load(root) {
    if (!loading) {
      var scripts = window.kimFaqMatch ? Promise.resolve() :
        loadScript(root + "assets/vendor/fuzzball_lite.umd.min.js").then(function () {
          return loadScript(root + "assets/faq-match.js");
        });
      // An offline copy opened from a file cannot fetch(): it carries the index as a script.
      var index = window.location.protocol === "file:" ?
        loadScript(root + "assets/faq-index.js").then(function () { return window.kimFaqIndex; }) :
        fetch(root + "assets/faq-index.json", { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error("faq index: HTTP " + response.status);
          return response.json();
        });
      loading = Promise.all([scripts, index]).then(function (done) { return done[1]; });
    }
    return loading;
  }

  // A page address below the language root; offline copies (file://) need the index.html.
  function pageUrl(root, path) {
    var url = root + path;
    return window.location.protocol === "file:" ? url.replace(/\/(#|$)/, "/index.html$1") : url;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function findKommune(index, value) {
    var key = window.kimFaqMatch.fold(value).trim().replace(/\s+/g, " ");
    if (!key) return null;
    var hit = null;
    index.kommunen.forEach(function (k) {
      var names = [k.name].concat(k.places);
      names.forEach(function (name) {
        if (!hit && window.kimFaqMatch.fold(name).trim().replace(/\s+/g, " ") === key) hit = k;
      });
    });
    return hit;
  }

  function contactCard(office, index) {
    var lines = [el("p", { "class": "kim-helper__kind", text: index.kinds[office.kind] || office.kind }),
      el("p", { "class": "kim-helper__name", lang: "de", text: office.name + (office.gemeinde ? " (" + office.gemeinde + ")" : "") })];
    if (office.address) lines.push(el("p", { lang: "de", text: office.address }));
    office.phones.forEach(function (phone) {
      lines.push(el("p", {}, [el("a", { href: "tel:" + phone.tel, dir: "ltr", text: phone.number })]));
    });
    if (office.email) lines.push(el("p", {}, [el("a", { href: "mailto:" + office.email, text: office.email })]));
    if (office.website) lines.push(el("p", {}, [el("a", { href: office.website, rel: "noopener", text: office.website })]));
    return el("li", { "class": "kim-helper__contact" }, lines);
  }

  function renderContacts(box, index, root, kinds) {
    box.textContent = "";
    var slug = remembered();
    var kommune = index.kommunen.filter(function (k) { return k.slug === slug; })[0];
    if (!kommune) return;
    var wanted = kinds.length ? kinds : ["kim_case_management"];
    var offices = kommune.offices.filter(function (o) { return wanted.indexOf(o.kind) !== -1; });
    if (!offices.length) offices = kommune.offices.filter(function (o) { return o.kind === "kim_case_management"; });
    var usable = offices.filter(function (o) { return o.address || o.phones.length || o.email || o.website; });
    box.appendChild(el("h3", { text: index.texts.contacts + " " + kommune.name }));
    if (usable.length) {
      box.appendChild(el("ul", { "class": "kim-helper__contacts" }, usable.map(function (o) { return contactCard(o, index); })));
    } else {
      box.appendChild(el("p", { text: index.texts.no_contacts }));
    }
    box.appendChild(el("p", {}, [el("a", { href: pageUrl(root, kommune.url), text: index.texts.kommune_page + ": " + kommune.name })]));
  }

  function build(opener, index, root) {
    var t = index.texts;
    var input = el("input", { id: "kim-helper-q", type: "search", autocomplete: "off", enterkeyhint: "search",
      "aria-describedby": "kim-helper-hint" });
    var form = el("form", { "class": "kim-helper__form", role: "search" }, [
      el("label", { "for": "kim-helper-q", text: t.label }),
      el("p", { id: "kim-helper-hint", "class": "kim-helper__hint", text: t.hint }),
      el("div", { "class": "kim-helper__row" }, [input, el("button", { type: "submit", "class": "md-button md-button--primary", text: t.submit })])
    ]);
    var places = el("datalist", { id: "kim-helper-places" });
    index.kommunen.forEach(function (k) {
      [k.name].concat(k.places).forEach(function (name) { places.appendChild(el("option", { value: name })); });
    });
    var current = index.kommunen.filter(function (k) { return k.slug === remembered(); })[0];
    var place = el("input", { id: "kim-helper-place", list: "kim-helper-places", autocomplete: "off",
      "aria-describedby": "kim-helper-place-hint", value: current ? current.name : "" });
    var status = el("p", { "class": "kim-helper__status", role: "status", "aria-live": "polite" });
    var results = el("div", { "class": "kim-helper__results" });
    var contacts = el("div", { "class": "kim-helper__local" });
    var close = el("button", { type: "button", "class": "kim-helper__close", text: t.close });
    var box = el("dialog", { "class": "kim-helper", "aria-labelledby": "kim-helper-title", lang: opener.getAttribute("data-kim-lang") || "", dir: index.dir }, [
      el("div", { "class": "kim-helper__head" }, [el("h2", { id: "kim-helper-title", text: t.title }), close]),
      form,
      el("div", { "class": "kim-helper__place" }, [
        el("label", { "for": "kim-helper-place", text: t.kommune }), place, places,
        el("p", { id: "kim-helper-place-hint", "class": "kim-helper__hint", text: t.kommune_hint })
      ]),
      status, results, contacts
    ]);
    var lastKinds = [];

    function show(question) {
      var ranked = window.kimFaqMatch.rank(index, question, 3);
      results.textContent = "";
      if (!ranked.length) {
        status.textContent = t.none;
        results.appendChild(el("ul", { "class": "kim-helper__topics" }, index.topics.map(function (topic) {
          return el("li", {}, [el("a", { href: pageUrl(root, topic.url), text: topic.title })]);
        })));
        lastKinds = [];
      } else {
        status.textContent = t.found.replace("{count}", String(ranked.length));
        results.appendChild(el("ol", { "class": "kim-helper__answers" }, ranked.map(function (r) {
          return el("li", {}, [
            el("h3", { text: r.entry.q }),
            el("p", { text: r.entry.a }),
            r.entry.reviewed ? null : el("p", { "class": "kim-helper__unreviewed", text: t.unreviewed }),
            el("a", { href: pageUrl(root, r.entry.url), text: t.more })
          ]);
        })));
        lastKinds = ranked[0].entry.offices;
      }
      renderContacts(contacts, index, root, lastKinds);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (input.value.trim()) show(input.value);
    });
    place.addEventListener("change", function () {
      var kommune = findKommune(index, place.value);
      if (kommune) {
        remember(kommune.slug);
        place.value = kommune.name;
        pointKommuneLinks();
      }
      renderContacts(contacts, index, root, lastKinds);
    });
    close.addEventListener("click", function () { box.close(); });
    // Escape closes at once (in a search field the browser would first only clear the text).
    box.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); box.close(); }
    });
    box.addEventListener("close", function () { opener.focus(); });
    document.body.appendChild(box);
    return box;
  }

  function open(opener) {
    var root = opener.getAttribute("data-kim-root") || "";
    opener.setAttribute("aria-busy", "true");
    load(root).then(function (index) {
      opener.removeAttribute("aria-busy");
      if (!dialog) dialog = build(opener, index, root);
      dialog.showModal();
      dialog.querySelector("#kim-helper-q").focus();
    }).catch(function () {
      // Without the index the FAQ page still answers: follow the link.
      window.location.href = opener.getAttribute("data-kim-href");
    });
  }

  // Links to "your Kommune" lead to the Kommune the reader chose, once there is one.
  function pointKommuneLinks() {
    var slug = remembered();
    if (!slug) return;
    Array.prototype.forEach.call(document.querySelectorAll("a.kim-kommune-link"), function (link) {
      // The link leads to kommunen/ (kommunen/index.html in an offline copy).
      var base = link.getAttribute("data-kim-base") || link.getAttribute("href").replace(/index\.html$/, "");
      link.setAttribute("data-kim-base", base);
      var file = window.location.protocol === "file:" ? "index.html" : "";
      link.setAttribute("href", base + encodeURIComponent(slug) + "/" + file);
    });
  }

  function setUp() {
    pointKommuneLinks();
    var link = document.querySelector("a[data-kim-helper]");
    if (!link || link.hidden) return;
    var button = el("button", { type: "button", "class": link.className, "data-kim-root": link.getAttribute("data-kim-root"),
      "data-kim-lang": link.getAttribute("data-kim-lang"), "data-kim-href": link.getAttribute("href"),
      "aria-haspopup": "dialog" });
    button.innerHTML = link.innerHTML;
    link.hidden = true;
    link.parentNode.insertBefore(button, link);
    button.addEventListener("click", function () { open(button); });
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
