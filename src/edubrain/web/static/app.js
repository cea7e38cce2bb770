// Behaviour every page shares, kept out of the templates (the Content-Security-Policy allows no inline handler):
// a <select data-autosubmit> submits its form when changed; a <select data-names="ID"> renames the input ID
// to the chosen value (the data page's filter: pick a column, type its value).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement)) { return; }
    if (select.hasAttribute("data-autosubmit") && select.form) { select.form.submit(); }
    var named = select.dataset.names && document.getElementById(select.dataset.names);
    if (named) { named.name = select.value; }
  });
})();
