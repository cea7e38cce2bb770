// The verification page (templates/verify.html): a chosen file is read into the text box, under the size cap.
(function () {
  "use strict";
  var input = document.getElementById("credential-file");
  var text = document.getElementById("credential-text");
  var note = document.getElementById("credential-file-note");
  if (!input || !text) { return; }
  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    note.hidden = true;
    if (!file) { return; }
    if (file.size > Number(input.dataset.maxBytes)) {
      note.textContent = input.dataset.tooLarge;
      note.hidden = false;
      input.value = "";
      return;
    }
    var reader = new FileReader();
    reader.onload = function () { text.value = String(reader.result || ""); };
    reader.readAsText(file, "utf-8");
  });
})();
