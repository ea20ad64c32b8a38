// kim-site: the FAQ helper's ranking in the browser, the same as kim_site/faq.py.
// fold/normalise mirror kim_site.faq.fold/normalise character for character; the scores
// come from fuzzball (the JavaScript port of the scorers rapidfuzz implements), rounded to
// integers on both sides, so a question gets the same top answer here and in Python
// (tests/test_faq_parity.py runs this file under Node over the evaluation set).
(function (root, factory) {
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./vendor/fuzzball_lite.umd.min.js"));
  } else {
    root.kimFaqMatch = factory(root.fuzzball);
  }
})(typeof self !== "undefined" ? self : this, function (fuzz) {
  "use strict";
  var LETTERS = { "\u0649": "\u064a", "\u06cc": "\u064a", "\u06a9": "\u0643", "\u0629": "\u0647" };
  var RAW = { full_process: false };

  function fold(text) {
    var s = text.normalize("NFKC").toLowerCase();
    s = s.replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss");
    s = s.normalize("NFD").replace(/[\p{Mn}\u0640]/gu, "");
    s = s.replace(/[\u0649\u06cc\u06a9\u0629]/g, function (c) { return LETTERS[c]; });
    s = s.replace(/[\u0660-\u0669]/g, function (c) { return String(c.charCodeAt(0) - 0x0660); });
    s = s.replace(/[\u06f0-\u06f9]/g, function (c) { return String(c.charCodeAt(0) - 0x06f0); });
    return s.replace(/[^\p{L}\p{N}]/gu, " ");
  }

  function normalise(text, stopwords) {
    return fold(text).split(/\s+/).filter(function (w) { return w && !stopwords.has(w); }).join(" ");
  }

  // The index's entries ranked for a question: [{entry, score}], best first, at most limit.
  function rank(index, question, limit, stopwords) {
    stopwords = stopwords || new Set(index.stopwords);
    var query = normalise(question, stopwords);
    if (!query) return [];
    var threshold = index.threshold;
    var best = new Map();
    index.choices.forEach(function (choice, position) {
      var entry = index.owner[position];
      var score = fuzz.token_set_ratio(query, choice, RAW);
      if (!best.has(entry) || score > best.get(entry)) best.set(entry, score);
    });
    var whole = new Map();
    index.choices.forEach(function (choice, position) {
      var entry = index.owner[position];
      if (2 * best.get(entry) + 100 < 3 * threshold) return; // cannot reach the threshold
      var score = fuzz.token_sort_ratio(query, choice, RAW);
      if (!whole.has(entry) || score > whole.get(entry)) whole.set(entry, score);
    });
    var ranked = [];
    whole.forEach(function (w, entry) {
      var combined = 2 * best.get(entry) + w;
      if (combined >= 3 * threshold) ranked.push({ entry: entry, combined: combined, best: best.get(entry) });
    });
    ranked.sort(function (a, b) {
      return b.combined - a.combined || b.best - a.best || a.entry - b.entry;
    });
    return ranked.slice(0, limit).map(function (r) {
      return { entry: index.entries[r.entry], score: Math.round((r.combined / 3) * 10) / 10 };
    });
  }

  return { fold: fold, normalise: normalise, rank: rank };
});
