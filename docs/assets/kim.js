// kim-site: filter the Kommune list on the start page as the reader types a place name.
// Works without a network; without JavaScript the full list stays visible.
(function () {
  "use strict";
  function normalise(text) {
    return text.toLocaleLowerCase("de")
      .replace(/ä/g, "ae").replace(/ö/g, "oe").replace(/ü/g, "ue").replace(/ß/g, "ss")
      .normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function setUp() {
    var input = document.getElementById("kim-chooser-input");
    if (!input || input.dataset.ready) return;
    input.dataset.ready = "1";
    input.hidden = false;
    var hint = document.getElementById("kim-chooser-hint");
    if (hint) hint.hidden = false;
    var items = Array.prototype.slice.call(document.querySelectorAll(".kim-chooser .kim-kommunen li"));
    var haystacks = items.map(function (li) {
      return normalise(li.textContent + " " + (li.getAttribute("data-terms") || ""));
    });
    input.addEventListener("input", function () {
      var query = normalise(input.value.trim());
      items.forEach(function (li, index) {
        li.hidden = query !== "" && haystacks[index].indexOf(query) === -1;
      });
    });
  }
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
