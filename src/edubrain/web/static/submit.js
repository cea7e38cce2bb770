// Drag and drop a file onto the submission form: it is submitted at once (through HTMX).
(function () {
  "use strict";
  function setup() {
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("file-input");
    var form = document.getElementById("submit-form");
    var label = document.getElementById("file-name");
    if (!zone || !input || !form) { return; }
    function submit() {
      if (label) { label.textContent = input.files.length ? input.files[0].name : ""; }
      if (input.files.length && window.htmx) { htmx.trigger(form, "submit"); }
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; submit(); }
    });
    input.addEventListener("change", submit);
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
