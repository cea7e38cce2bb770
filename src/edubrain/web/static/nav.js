// The header's menu at phone width: the button folds the menu (navigation, language, user) in and out.
// Kept out of the templates: the Content-Security-Policy allows no inline script.
(function () {
  "use strict";
  function setUp() {
    var header = document.querySelector("header.top");
    var button = header && header.querySelector(".nav-toggle");
    if (!button) { return; }
    button.addEventListener("click", function () {
      var open = !header.classList.contains("open");
      header.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && header.classList.contains("open")) {
        header.classList.remove("open");
        button.setAttribute("aria-expanded", "false");
        button.focus();
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setUp); } else { setUp(); }
})();
