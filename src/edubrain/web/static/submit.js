// The submission form: choosing or dropping a file submits it at once (through HTMX), so the form's own
// button, the fallback without scripts, is hidden; once sent, the file input is emptied so nothing can send
// the same file twice (choosing it again, after fixing it, sends it again). While the file travels, a
// progress bar shows the bytes sent; once all are sent, the stage reads "校验中…" until the report arrives.
// A refused file (unreadable, too large, not allowed) is answered with an error fragment, shown like a report.
(function () {
  "use strict";

  function size(bytes) {
    if (bytes < 1024 * 1024) { return (bytes / 1024).toFixed(1) + " KB"; }
    return (bytes / 1024 / 1024).toFixed(1) + " MB";
  }

  function progress(form) {
    var box = document.getElementById("upload-progress");
    var bar = document.getElementById("upload-bar");
    var stage = document.getElementById("upload-stage");
    if (!box || !bar || !stage) { return null; }
    function show(value, text) {
      box.hidden = false;
      bar.value = value;
      stage.textContent = text;
    }
    return {
      start: function () { show(0, stage.dataset.sending + " 0 KB"); },
      sent: function (loaded, total) {
        var share = total ? Math.min(100, Math.round((100 * loaded) / total)) : 0;
        show(share, stage.dataset.sending + " " + size(loaded) + " / " + size(total) + "（" + share + " %）");
      },
      validating: function (total) { show(100, stage.dataset.validating + "（" + size(total) + "）"); },
      done: function (ok) { show(100, ok ? stage.dataset.done : stage.dataset.failed); },
    };
  }

  function setup() {
    var zone = document.getElementById("dropzone");
    var input = document.getElementById("file-input");
    var form = document.getElementById("submit-form");
    var label = document.getElementById("file-name");
    if (!zone || !input || !form || !window.htmx) { return; }
    var button = form.querySelector("button[type=submit]");
    if (button) { button.hidden = true; }  // choosing the file is the one way to send it
    var hint = document.getElementById("drop-submits");
    if (hint) { hint.hidden = false; }
    var bar = progress(form);

    function submit() {
      if (label) { label.textContent = input.files.length ? input.files[0].name : ""; }
      if (input.files.length) { htmx.trigger(form, "submit"); }
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

    form.addEventListener("htmx:beforeSend", function (e) {
      var xhr = e.detail.xhr;
      if (!bar || !xhr) { return; }
      bar.start();
      xhr.upload.addEventListener("progress", function (p) {
        if (p.lengthComputable) { bar.sent(p.loaded, p.total); }
      });
      xhr.upload.addEventListener("load", function (p) { bar.validating(p.total || p.loaded); });
    });
    form.addEventListener("htmx:beforeSwap", function (e) {
      if (e.detail.xhr.status >= 400 && e.detail.xhr.responseText) {  // a refused file: show why, in the report's place
        e.detail.shouldSwap = true;
        e.detail.isError = false;
      }
    });
    form.addEventListener("htmx:afterRequest", function (e) {
      input.value = "";  // sent: the form holds no file until one is chosen again
      if (bar) { bar.done(e.detail.successful); }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", setup); } else { setup(); }
})();
