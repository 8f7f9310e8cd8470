// Questionnaire pages: every answer is saved as it is given (htmx, see the templates); this file
// sends the CSRF token with htmx requests, tells the user when a save failed, and retries failed
// saves with growing pauses (1 s, 2 s, 4 s ... at most 30 s) until they go through. Without
// JavaScript the page is a plain form and its buttons save the whole page.
"use strict";

(function () {
  const FIRST_PAUSE_MS = 1000;
  const LONGEST_PAUSE_MS = 30000;
  const attempts = new WeakMap(); // practice block -> failed attempts in a row
  const timers = new WeakMap(); // practice block -> pending retry timer
  const failing = new Map(); // practice block -> the element whose request failed (not saved yet)

  function messages() {
    const box = document.getElementById("questionnaire-messages");
    return box ? box.dataset : {};
  }

  function blockOf(event) {
    const elt = event.detail && event.detail.elt;
    return elt && elt.closest ? elt.closest(".practice") : null;
  }

  function setStatus(block, text, state) {
    const status = block.querySelector(".save-status");
    if (!status) return;
    status.textContent = text;
    status.dataset.state = state;
  }

  function scheduleRetry(block, elt) {
    const failed = (attempts.get(block) || 0) + 1;
    attempts.set(block, failed);
    failing.set(block, elt);
    const pause = Math.min(LONGEST_PAUSE_MS, FIRST_PAUSE_MS * 2 ** (failed - 1));
    const text = (messages().retrying || "").replace("{seconds}", String(Math.round(pause / 1000)));
    setStatus(block, text, "retrying");
    clearTimeout(timers.get(block));
    timers.set(block, setTimeout(() => retry(elt), pause));
  }

  function retry(elt) {
    // Not bubbling: the retry must reach only the element that sent the failed request.
    if (elt.isConnected) elt.dispatchEvent(new CustomEvent("cdcoach:retry", { bubbles: false }));
  }

  function refusedMessage(xhr) {
    // The server explains a refusal (bad input, a finalized assessment): show its words.
    const page = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
    const found = page.querySelector("[data-error-message], .error-page p");
    return (messages().refused || "") + " " + (found ? found.textContent.trim() : xhr.statusText);
  }

  document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector('meta[name="csrf-token"]');
    if (token) event.detail.headers["X-CSRFToken"] = token.content;
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const block = blockOf(event);
    if (!block) return;
    clearTimeout(timers.get(block));
    setStatus(block, messages().saving || "", "saving");
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const block = blockOf(event);
    if (!block || !event.detail.successful) return;
    const status = block.querySelector(".save-status");
    if (status) status.dataset.state = "saved";
    attempts.delete(block);
    failing.delete(block);
  });

  document.addEventListener("htmx:responseError", (event) => {
    const block = blockOf(event);
    if (!block) return;
    const xhr = event.detail.xhr;
    if (xhr.status >= 500) {
      scheduleRetry(block, event.detail.elt);
    } else {
      // Retrying cannot help with a refusal; the answer stays unsaved until the user changes it.
      failing.delete(block);
      setStatus(block, refusedMessage(xhr), "refused");
    }
  });

  document.addEventListener("htmx:sendError", (event) => {
    const block = blockOf(event);
    if (block) scheduleRetry(block, event.detail.elt);
  });

  document.addEventListener("htmx:timeout", (event) => {
    const block = blockOf(event);
    if (block) scheduleRetry(block, event.detail.elt);
  });

  // Back online: try the failed saves now rather than waiting out the pause.
  window.addEventListener("online", () => {
    failing.forEach((elt, block) => {
      clearTimeout(timers.get(block));
      retry(elt);
    });
  });

  // Leaving with unsaved answers: let the browser ask first.
  window.addEventListener("beforeunload", (event) => {
    if (failing.size > 0) {
      event.preventDefault();
      event.returnValue = messages().unsaved || "";
    }
  });

  // A full-page save (the buttons) makes any pending retry pointless.
  document.addEventListener("submit", () => failing.clear());
})();
