// Shows how many words an answer has, counted as the server counts them
// (scholarships/validators.py): words between spaces, and each Chinese,
// Japanese or Korean character. The server checks again; this only helps.
(function () {
  "use strict";
  var ideographic = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af";
  var word = new RegExp("[" + ideographic + "]|[^\\s" + ideographic + "\u3000-\u303f\uff00-\uffef]+", "g");
  var punctuation = /^[\s!-\/:-@\[-`{-~\u00a1-\u00bf\u2000-\u206f]+$/;
  function count(text) {
    return (text.match(word) || []).filter(function (t) { return !punctuation.test(t); }).length;
  }
  document.querySelectorAll("textarea[data-word-limit]").forEach(function (area) {
    var limit = parseInt(area.getAttribute("data-word-limit"), 10);
    var out = document.createElement("p");
    out.className = "help";
    out.setAttribute("aria-live", "polite");
    area.insertAdjacentElement("afterend", out);
    function update() {
      var n = count(area.value);
      out.textContent = n + " / " + limit;
      out.classList.toggle("errors", n > limit);
    }
    area.addEventListener("input", update);
    update();
  });
})();
