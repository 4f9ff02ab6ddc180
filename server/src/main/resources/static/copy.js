// Copy buttons for values shown once (a new client secret). The value is plain text on the page, so
// the page works without this script; the button stays hidden unless the clipboard can be used.
(function () {
  'use strict';
  var buttons = document.querySelectorAll('button[data-copy]');
  for (var i = 0; i < buttons.length; i++) enable(buttons[i]);

  function enable(button) {
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source || !navigator.clipboard) return;
    var label = button.textContent;
    button.hidden = false;
    button.addEventListener('click', function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = 'Copied';
      }, function () {
        button.textContent = 'Select the text to copy it';
      });
      setTimeout(function () { button.textContent = label; }, 4000);
    });
  }
})();
