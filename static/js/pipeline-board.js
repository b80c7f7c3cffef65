/* The recruitment pipeline board's drag-and-drop (staff/templates/staff/recruitment/_board.html).
   A card ([data-move-url], [data-stage]) dropped on a column ([data-drop-stage]) is POSTed to its move
   URL with the column's stage, as the card's buttons do through HTMX; the answer is the board again,
   with the refusal (and the allowed next stages) above it when the move is not allowed. Any other
   answer (a 403 for an expired login or CSRF token, a redirect to the login page, a 500) or no answer
   at all keeps the board and shows the board's data-failure-message above it; so do the buttons'
   HTMX requests, which htmx itself would leave without a word. */
(function () {
  "use strict";

  var dragged = null;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function showFailure() {
    var board = document.getElementById("pipeline-board");
    if (!board) return;
    var region = board.querySelector("[data-testid='board-message']");
    if (!region) return;
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("data-testid", "board-failure");
    alert.textContent = board.dataset.failureMessage || "";
    region.replaceChildren(alert);
  }

  function replaceBoard(html) {
    var board = document.getElementById("pipeline-board");
    if (!board) return;
    var holder = document.createElement("div");
    holder.innerHTML = html.trim();
    var fresh = holder.firstElementChild;
    // Only the board itself replaces the board (never a login or error page that answered instead).
    if (!fresh || fresh.id !== "pipeline-board") {
      showFailure();
      return;
    }
    board.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  // The buttons' HTMX requests: htmx swaps nothing on an error status and says nothing, and it swaps
  // in whatever a followed redirect (the login page) answered.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (!detail.target || detail.target.id !== "pipeline-board") return;
    var ok = detail.xhr.status >= 200 && detail.xhr.status < 300;
    if (ok && /id="pipeline-board"/.test(detail.serverResponse || "")) return;
    detail.shouldSwap = false;
    detail.isError = false;  // handled here: htmx need not log it as an error
    showFailure();
  });

  document.addEventListener("htmx:sendError", function (event) {
    var source = event.detail && event.detail.elt;
    if (source && source.closest && source.closest("#pipeline-board")) showFailure();
  });

  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest("[data-move-url]");
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.moveUrl);
  });

  document.addEventListener("dragend", function () {
    dragged = null;
    document.querySelectorAll("[data-drop-stage].border-primary").forEach(function (column) {
      column.classList.remove("border-primary");
    });
  });

  document.addEventListener("dragover", function (event) {
    var column = event.target.closest && event.target.closest("[data-drop-stage]");
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    column.classList.add("border-primary");
  });

  document.addEventListener("dragleave", function (event) {
    var column = event.target.closest && event.target.closest("[data-drop-stage]");
    if (column && !column.contains(event.relatedTarget)) column.classList.remove("border-primary");
  });

  document.addEventListener("drop", function (event) {
    var column = event.target.closest && event.target.closest("[data-drop-stage]");
    if (!column || !dragged) return;
    event.preventDefault();
    var card = dragged;
    dragged = null;
    column.classList.remove("border-primary");
    if (card.dataset.stage === column.dataset.dropStage) return;  // dropped where it was
    var body = new URLSearchParams();
    body.set("target", column.dataset.dropStage);
    fetch(card.dataset.moveUrl, {
      method: "POST",
      credentials: "same-origin",
      // An expired login answers with a redirect to the login page: not followed, it is a failure.
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      body: body
    })
      .then(function (response) {
        // A refused move is the board again (200), with the refusal in it; anything else is a failure.
        if (!response.ok) throw new Error("move answered " + response.status);
        return response.text();
      })
      .then(replaceBoard)
      .catch(showFailure);
  });
})();
