/* nseers: the few behaviours the pages need beyond USWDS and htmx (no inline scripts: the
   Content-Security-Policy allows only this server's files). */
(function () {
  "use strict";

  function focusErrorSummary(root) {
    var summary = (root || document).querySelector("#error-summary");
    if (summary) { summary.focus(); }
  }

  document.addEventListener("DOMContentLoaded", function () { focusErrorSummary(document); });

  // After htmx swaps a whole form back in (the MRZ read, a refused submission), move the
  // focus to the problems, as a full page load would.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail && event.detail.target && event.detail.target.id === "inspection") {
      var summary = document.querySelector("#error-summary");
      if (summary) { summary.focus(); } else {
        var heading = document.querySelector("#determinations-heading");
        if (heading) { heading.setAttribute("tabindex", "-1"); }
      }
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) { event.preventDefault(); window.print(); }
  });
})();
