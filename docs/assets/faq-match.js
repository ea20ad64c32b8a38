// kim-site: the FAQ helper's ranking in the browser, the same as kim_site/faq.py.
// fold/normalise mirror kim_site.faq.fold/normalise character for character, and rank
// mirrors FaqMatcher (weighted fuzzy word cover + whole-text similarity, see faq.py); the
// scores come from fuzzball (the JavaScript port of the scorers rapidfuzz implements),
// rounded to integers on both sides, so a question gets the same answers here and in
// Python (tests/test_faq_parity.py runs this file under Node over the evaluation set).
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

  function commonStart(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }

  // Same start over enough of the longer word (inflections, compounds); see faq.py.
  function sameStart(index, word, other) {
    if (word.length < index.prefix) return false;
    var common = commonStart(word, other);
    return common >= index.prefix && 100 * common >= index.prefix_share * Math.max(word.length, other.length);
  }

  // An unknown number or (misspelt) place name: where or when, not what.
  function isContext(index, word) {
    if (/^[0-9]+$/.test(word)) return true;
    for (var i = 0; i < index._places.length; i++) {
      if (fuzz.ratio(word, index._places[i], RAW) >= index.word_match) return true;
    }
    return false;
  }

  // A question word's weight and its fuzzy matches in the vocabulary (index -> score).
  function wordMatches(index, word) {
    var matches = new Map();
    var top = -1;
    for (var i = 0; i < index.vocab.length; i++) {
      var score = fuzz.ratio(word, index.vocab[i], RAW);
      if (score < index.word_match && sameStart(index, word, index.vocab[i])) score = index.word_match;
      if (score >= index.word_match) {
        matches.set(i, score);
        if (score > top) top = score;
      }
    }
    if (!matches.size) return { weight: isContext(index, word) ? 0 : index.unknown_weight, matches: matches };
    var weight = -1;
    matches.forEach(function (score, i) {
      if (score === top && index.idf[i] > weight) weight = index.idf[i];
    });
    return { weight: weight, matches: matches };
  }

  function entrySets(index) {
    if (!index._words) {
      index._words = index.entry_words.map(function (words) { return new Set(words); });
      index._texts = index.entries.map(function () { return []; });
      index.choices.forEach(function (choice, position) { index._texts[index.owner[position]].push(choice); });
      var places = new Set();
      index.kommunen.forEach(function (kommune) {
        [kommune.name].concat(kommune.places).forEach(function (name) {
          fold(name).split(/\s+/).forEach(function (w) { if (w.length >= index.place_word_min) places.add(w); });
        });
      });
      index._places = Array.from(places);
    }
  }

  // The index's entries ranked for a question: [{entry, score}], best first, at most limit.
  function rank(index, question, limit, stopwords) {
    stopwords = stopwords || new Set(index.stopwords);
    var query = normalise(question, stopwords);
    var words = Array.from(new Set(query.split(" ").filter(Boolean)));
    if (!words.length) return [];
    entrySets(index);
    var weighted = words.map(function (word) { return wordMatches(index, word); });
    var total = weighted.reduce(function (sum, w) { return sum + w.weight; }, 0);
    if (!total) return []; // only places and numbers: nothing to answer
    var ranked = [];
    index._words.forEach(function (known, entry) {
      var covered = 0;
      weighted.forEach(function (w) {
        var best = 0;
        w.matches.forEach(function (score, i) { if (known.has(i) && score > best) best = score; });
        covered += w.weight * best;
      });
      var cover = covered / total;
      var texts = index._texts[entry];
      if (!texts.length || 3 * cover + 200 < 5 * index.also_shown) return;
      var sorted = 0;
      var set = 0;
      texts.forEach(function (text) {
        sorted = Math.max(sorted, fuzz.token_sort_ratio(query, text, RAW));
        set = Math.max(set, fuzz.token_set_ratio(query, text, RAW));
      });
      var whole = (sorted + set) / 2;
      var score = (3 * cover + 2 * whole) / 5;
      if (score >= index.also_shown) ranked.push({ entry: entry, score: score });
    });
    ranked.sort(function (a, b) { return b.score - a.score || a.entry - b.entry; });
    if (!ranked.length || ranked[0].score < index.threshold) return [];
    return ranked.slice(0, limit).map(function (r) {
      return { entry: index.entries[r.entry], score: Math.round(r.score * 10) / 10 };
    });
  }

  return { fold: fold, normalise: normalise, rank: rank };
});
