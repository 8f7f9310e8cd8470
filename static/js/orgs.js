// Organisation pages: copy an invitation link, confirm before removing someone.
// Loaded with `defer` from the page template; no inline scripts (strict CSP).
"use strict";

function copyFrom(button) {
  const input = document.getElementById(button.dataset.copy);
  if (!input) return;
  input.select();
  const done = () => {
    button.textContent = button.dataset.copied || button.textContent;
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(input.value).then(done, () => document.execCommand("copy") && done());
  } else if (document.execCommand("copy")) {
    done();
  }
}

document.addEventListener("click", (event) => {
  const copy = event.target.closest("button[data-copy]");
  if (copy) {
    copyFrom(copy);
    return;
  }
  const risky = event.target.closest("button[data-confirm]");
  if (risky && !window.confirm(risky.dataset.confirm)) {
    event.preventDefault();
  }
});
