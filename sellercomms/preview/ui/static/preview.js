"use strict";
// The preview page: live reload over server-sent events, navigation without page loads, and
// the controls that only arrange the page (tabs, frame width).  A refresh fetches the page's
// markup again and patches the differences in, so frames that did not change are not
// reloaded, and scroll positions, open details and the chosen tab all stay as they were.
(() => {
  const app = document.getElementById("app");
  const live = document.getElementById("live");
  const body = document.body;
  let inFlight = null;

  // --- fetching and patching -------------------------------------------------------------

  async function load(url, { push = false, changed = false } = {}) {
    inFlight?.abort();
    const request = (inFlight = new AbortController());
    const busy = setTimeout(() => live.classList.add("busy"), 200);
    try {
      const response = await fetch(url, {
        headers: { "X-Preview": "fragment" },
        signal: request.signal,
        cache: "no-store",
      });
      const html = await response.text();
      if (!response.headers.get("Content-Type")?.startsWith("text/html")) {
        throw new Error(`${response.status} ${html}`);
      }
      if (push) history.pushState(null, "", url);
      body.dataset.generation =
        response.headers.get("X-Preview-Generation") ?? body.dataset.generation;
      morph(app, html);
      settle();
      if (changed) connected(`updated ${new Date().toLocaleTimeString()}`);
    } catch (error) {
      if (error.name === "TypeError") disconnected();
      else if (error.name !== "AbortError") failed(error.message);
    } finally {
      clearTimeout(busy);
      if (inFlight === request) {
        inFlight = null;
        live.classList.remove("busy");
      }
    }
  }

  const refresh = (options) => load(location.href, options);

  function morph(target, html) {
    const next = document.createElement("div");
    next.innerHTML = html;
    patchChildren(target, next);
  }

  function sameKind(a, b) {
    return (
      a.nodeType === b.nodeType &&
      a.nodeName === b.nodeName &&
      (a.nodeType !== Node.ELEMENT_NODE || a.id === b.id)
    );
  }

  function patchChildren(old, next) {
    const oldNodes = [...old.childNodes];
    const newNodes = [...next.childNodes];
    newNodes.forEach((node, index) => {
      const existing = oldNodes[index];
      if (!existing) {
        old.appendChild(node);
      } else if (!sameKind(existing, node)) {
        existing.replaceWith(node);
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        patchAttributes(existing, node);
        // A frame's document is its own: setting its src above is all it needs.
        if (existing.nodeName !== "IFRAME") patchChildren(existing, node);
      } else if (existing.nodeValue !== node.nodeValue) {
        existing.nodeValue = node.nodeValue;
      }
    });
    for (const extra of oldNodes.slice(newNodes.length)) extra.remove();
  }

  // Attributes the page sets itself: a frame's fitted height, a details element opened by
  // hand, a PDF frame loaded only once its tab was shown.
  function ownedByPage(element, name) {
    return (
      name === "style" || name === "open" || (name === "src" && element.hasAttribute("data-src"))
    );
  }

  function patchAttributes(old, next) {
    for (const { name } of [...old.attributes]) {
      if (!next.hasAttribute(name) && !ownedByPage(old, name)) old.removeAttribute(name);
    }
    for (const { name, value } of [...next.attributes]) {
      if (old.getAttribute(name) !== value) old.setAttribute(name, value);
    }
  }

  function settle() {
    const title = app.querySelector("[data-title]")?.dataset.title;
    if (title) document.title = `${title} · sellercomms preview`;
    for (const select of app.querySelectorAll("select")) {
      const chosen = select.querySelector("option[selected]");
      if (chosen) select.value = chosen.value;
    }
    for (const frame of app.querySelectorAll("iframe.mail")) fit(frame);
    for (const frame of app.querySelectorAll("iframe[data-src]")) {
      if (frame.offsetParent !== null && frame.getAttribute("src") !== frame.dataset.src) {
        frame.src = frame.dataset.src;
      }
    }
  }

  // --- the e-mail frames -----------------------------------------------------------------

  // A frame as tall as its e-mail: the page scrolls, not the frame, as in a mail client.
  function fit(frame) {
    const doc = frame.contentDocument;
    // A frame that has not loaded its e-mail yet keeps its height until it has.
    if (!doc?.documentElement || doc.URL === "about:blank" || frame.offsetParent === null) return;
    const { scrollX, scrollY } = window;
    frame.style.height = "0px";
    frame.style.height = `${doc.documentElement.scrollHeight}px`;
    window.scrollTo(scrollX, scrollY);
  }

  document.addEventListener(
    "load",
    (event) => {
      const frame = event.target;
      if (!(frame instanceof HTMLIFrameElement) || !frame.classList.contains("mail")) return;
      fit(frame);
      // Images change the height once they arrive.
      frame.contentDocument?.addEventListener("load", () => fit(frame), true);
    },
    true,
  );

  // --- controls that arrange the page ----------------------------------------------------

  function remember(name, value) {
    const url = new URL(location.href);
    url.searchParams.set(name, value);
    history.replaceState(null, "", url);
    // The server draws every link with the page's state: fetch them with the new one.
    refresh();
  }

  function setWidth(width) {
    const stage = app.querySelector("[data-stage]");
    if (!stage) return;
    stage.classList.remove("width-desktop", "width-mobile", "width-both");
    stage.classList.add(`width-${width}`);
    for (const button of app.querySelectorAll("[data-width]")) {
      button.setAttribute("aria-pressed", String(button.dataset.width === width));
    }
    for (const frame of stage.querySelectorAll("iframe.mail")) fit(frame);
    remember("width", width);
  }

  function setTab(name) {
    for (const button of app.querySelectorAll("[data-tab]")) {
      button.setAttribute("aria-selected", String(button.dataset.tab === name));
    }
    for (const pane of app.querySelectorAll("[data-pane]")) {
      pane.hidden = pane.dataset.pane !== name;
    }
    settle();
    remember("tab", name);
  }

  async function copy(button) {
    const source = app.querySelector(button.dataset.copy);
    if (!source) return;
    await navigator.clipboard.writeText(source.textContent);
    button.textContent = "Copied";
    setTimeout(() => {
      button.textContent = "Copy";
    }, 1500);
  }

  app.addEventListener("click", (event) => {
    const target = event.target.closest(
      "a[data-nav], button[data-tab], button[data-width], button[data-copy]",
    );
    if (!target) return;
    if (target.matches("a[data-nav]")) {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
      event.preventDefault();
      load(target.href, { push: true });
    } else if (target.dataset.tab) {
      setTab(target.dataset.tab);
    } else if (target.dataset.width) {
      setWidth(target.dataset.width);
    } else {
      copy(target);
    }
  });
  app.addEventListener("change", (event) => {
    if (event.target.matches("select[data-go]")) load(event.target.value, { push: true });
  });
  app.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("popstate", () => refresh());

  // --- live reload -----------------------------------------------------------------------

  function connected(text = "live") {
    live.textContent = text;
    live.classList.add("on");
    live.classList.remove("off");
  }

  function disconnected() {
    live.textContent = "server stopped? reconnecting…";
    live.classList.add("off");
    live.classList.remove("on");
  }

  function failed(reason) {
    live.textContent = `could not update: ${reason.slice(0, 80)}`;
    live.classList.add("off");
    live.classList.remove("on");
  }

  const events = new EventSource("/events");
  events.addEventListener("hello", (event) => {
    const status = JSON.parse(event.data);
    connected();
    // Something changed while the page was not listening, or the server was restarted.
    if (
      status.server !== body.dataset.server ||
      String(status.generation) !== body.dataset.generation
    ) {
      body.dataset.server = status.server;
      refresh({ changed: true });
    }
  });
  events.addEventListener("change", () => refresh({ changed: true }));
  events.addEventListener("error", disconnected);

  settle();
})();
