// Workshop pages (participants and facilitator). The pages follow the workshop through htmx
// polling (see the templates); this file only tells a participant how a save went, in words
// the server gave, and stays out of the way otherwise. No inline scripts: the CSP is strict.
"use strict";

(function () {
  function messages() {
    const box = document.getElementById("workshop-messages");
    return box ? box.dataset : {};
  }

  function statusOf(event) {
    const elt = event.detail && event.detail.elt;
    const form = elt && elt.closest ? elt.closest("form.seat-practice") : null;
    return form ? form.querySelector(".save-status") : null;
  }

  document.addEventListener("htmx:beforeRequest", (event) => {
    const status = statusOf(event);
    if (status) status.textContent = messages().saving || "";
  });

  document.addEventListener("htmx:responseError", (event) => {
    const status = statusOf(event);
    if (!status) return;
    // The server says why it refused (paused, moved on, taken out): show its words.
    const page = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
    const found = page.querySelector("[data-error-message]");
    status.textContent = found ? found.textContent.trim() : event.detail.xhr.statusText;
    status.dataset.state = "refused";
  });

  document.addEventListener("htmx:sendError", (event) => {
    const status = statusOf(event);
    if (status) {
      status.textContent = messages().offline || "";
      status.dataset.state = "refused";
    }
  });

  // Consensus panel (facilitator): a "settle" link loads its form next to the live list.
  document.addEventListener("htmx:afterSwap", (event) => {
    const target = event.detail.target;
    if (target && target.id === "consensus-panel") {
      const first = target.querySelector("input:checked, input[type=radio]");
      if (first) first.focus();
      target.scrollIntoView({ block: "nearest" });
    }
  });
})();
