/* reconcile's HTML report: builds the page from the JSON in #report-data.
 *
 * Every string from the articles goes into the page as text (textContent, append(string)),
 * never as markup; only http and https URLs become links. The list of findings and the text
 * columns are built lazily: what is on screen first, the rest in short slices between events, so a
 * case of a hundred sources opens at once. Offsets in the data count UTF-16 code units.
 */
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("report-data").textContent);
  const sources = data.sources;
  const findings = data.findings;
  const FIRST_ROWS = 60;  // rows built before the page shows; the rest follow in slices
  const MAX_VALUES = 12;  // values shown in a row before "n more"

  const WORDS = {
    contradiction: ["contradiction", "contradictions"], disputed: ["disputed", "disputed"],
    update: ["update", "updates"], difference: ["difference", "differences"],
    unsupported: ["unsupported", "unsupported"], omitted: ["omitted", "omitted"],
    agreement: ["agreement", "agreements"], unique: ["unique", "unique"],
  };
  const ORDER = Object.keys(WORDS);
  // 16x16 line icons: one shape per verdict, so that no verdict is told by its colour alone.
  const ICONS = {
    contradiction: [["circle", {cx: 8, cy: 8, r: 6.5}], ["path", {d: "M5.5 5.5l5 5M10.5 5.5l-5 5"}]],
    disputed: [["path", {d: "M8 1.8l6.6 12H1.4z"}], ["path", {d: "M8 6.2v3.6"}], ["circle", {cx: 8, cy: 11.8, r: 0.9, class: "solid"}]],
    update: [["path", {d: "M3 13L13 3M6 3h7v7"}]],
    difference: [["path", {d: "M3 6h10M3 10h10M11 2.5L5 13.5"}]],
    unsupported: [["circle", {cx: 8, cy: 8, r: 6.5}], ["path", {d: "M6 6.3a2 2 0 1 1 2.6 1.9c-.4.2-.6.5-.6 1v.6"}], ["circle", {cx: 8, cy: 11.6, r: 0.9, class: "solid"}]],
    omitted: [["circle", {cx: 8, cy: 8, r: 6.5, "stroke-dasharray": "2.2 2"}]],
    agreement: [["path", {d: "M2.5 8.5l3.5 3.5 7.5-8"}]],
    unique: [["circle", {cx: 8, cy: 8, r: 6.5}], ["circle", {cx: 8, cy: 8, r: 2.6, class: "solid"}]],
  };
  const SVG = "http://www.w3.org/2000/svg";
  const STANCES = {negated: "negates", denied: "denies", hedged: "hedged", uncertain: "unclear"};

  const $ = (id) => document.getElementById(id);
  const list = $("findings-list");
  const strip = $("strip");
  const search = $("search");
  const sourceFilter = $("source-filter");
  const shown = $("shown");
  const narrow = window.matchMedia("(max-width: 899px)");

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function icon(verdict) {
    const svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("class", "icon");
    svg.setAttribute("viewBox", "0 0 16 16");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    for (const [tag, attrs] of ICONS[verdict] || ICONS.unique) {
      const shape = document.createElementNS(SVG, tag);
      for (const name of Object.keys(attrs)) shape.setAttribute(name, String(attrs[name]));
      svg.append(shape);
    }
    return svg;
  }

  function word(verdict, count) {
    const words = WORDS[verdict] || [verdict, verdict];
    return count === undefined || count === 1 ? words[0] : words[1];
  }

  function badge(verdict, kind) {
    const node = el("span", "badge v-" + verdict);
    node.append(icon(verdict), el("span", "word", word(verdict) + (kind ? " · " + kind : "")));
    return node;
  }

  function webUrl(url) {
    if (!url) return null;
    try {
      const parsed = new URL(url);
      return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
    } catch (error) {
      return null;
    }
  }

  function when(date) {
    // "2022-10-17T19:40:00Z" -> "2022-10-17 19:40 UTC"; the same on every machine, whatever its time zone.
    const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::00)?Z$/.exec(date || "");
    if (!m) return date || "";
    return m[2] === "00:00" ? m[1] : m[1] + " " + m[2] + " UTC";
  }

  function sourceName(source) {
    return source.name === source.id ? source.id : source.name + " (" + source.id + ")";
  }

  // --- derived data: which findings cite each sentence, and each sentence's most serious verdict ---
  const findingsOf = sources.map((s) => s.marks.map(() => []));
  const sourcesOf = findings.map(() => []);
  findings.forEach((f, i) => {
    for (const [s, m] of f.claims) {
      const cited = findingsOf[s][m];
      if (cited[cited.length - 1] !== i) cited.push(i);
      if (!sourcesOf[i].includes(s)) sourcesOf[i].push(s);
    }
  });
  const rank = (verdict) => (ORDER.includes(verdict) ? ORDER.indexOf(verdict) : ORDER.length);
  const markVerdict = findingsOf.map((marks) => marks.map((cited) => {
    let best = null;
    for (const i of cited) if (best === null || rank(findings[i].verdict) < rank(best)) best = findings[i].verdict;
    return best || "unique";
  }));
  const visible = new Uint8Array(findings.length).fill(1);
  let haystacks = null;

  // --- header --------------------------------------------------------------------------------------
  function renderHeader() {
    const counts = $("counts");
    for (const verdict of data.verdicts) {
      const n = data.summary[verdict] || 0;
      const item = el("li", "badge v-" + verdict);
      item.append(icon(verdict), el("span", null, n + " " + word(verdict, n)));
      counts.append(item);
    }
    const box = $("sources-box");
    $("sources-summary").textContent = sources.length + (sources.length === 1 ? " source" : " sources");
    box.open = sources.length <= 8;
    const items = $("source-list");
    sources.forEach((source) => {
      const item = el("li");
      const url = webUrl(source.url);
      const name = url ? el("a", null, sourceName(source)) : el("strong", null, sourceName(source));
      if (url) {
        name.href = url;
        name.rel = "noopener noreferrer external";
        name.target = "_blank";
      }
      item.append(name);
      const meta = [source.draft ? "draft" : "", when(source.date), source.path || ""].filter(Boolean).join(" · ");
      if (meta) item.append(" ", el("span", "source-meta", meta));
      items.append(item);
    });
  }

  // --- filters ---------------------------------------------------------------------------------------
  function renderFilters() {
    const box = $("verdict-filter");
    for (const verdict of data.verdicts) {
      const n = data.summary[verdict] || 0;
      if (!n) continue;
      const label = el("label", "badge v-" + verdict);
      const input = el("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = verdict;
      input.name = "verdict";
      input.id = "verdict-" + verdict;
      label.append(input, icon(verdict), el("span", null, word(verdict, n) + " (" + n + ")"));
      box.append(label);
    }
    sources.forEach((source, s) => {
      const option = el("option", null, sourceName(source) + (source.draft ? " (draft)" : ""));
      option.value = String(s);
      sourceFilter.append(option);
    });
    let timer = 0;
    search.addEventListener("input", () => {
      // A long list waits for a pause in the typing; a short one follows every key.
      clearTimeout(timer);
      if (findings.length > 500) timer = setTimeout(applyFilters, 120);
      else applyFilters();
    });
    box.addEventListener("change", applyFilters);
    sourceFilter.addEventListener("change", applyFilters);
    $("filters").addEventListener("submit", (event) => event.preventDefault());
    $("clear-filters").addEventListener("click", () => {
      search.value = "";
      sourceFilter.value = "";
      for (const input of box.querySelectorAll("input")) input.checked = true;
      applyFilters();
    });
  }

  function haystack(i) {
    if (!haystacks) haystacks = new Array(findings.length);
    if (haystacks[i] === undefined) {
      const f = findings[i];
      const parts = [word(f.verdict), f.kind || "", f.topic, f.summary];
      for (const [c, value] of f.values) parts.push(value, sources[f.claims[c][0]].name);
      for (const [s, m] of f.claims) {
        const mark = sources[s].marks[m];
        parts.push(sources[s].id, sources[s].name, sources[s].text.slice(mark[0], mark[1]));
      }
      haystacks[i] = fold(parts.join("\n"));
    }
    return haystacks[i];
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/\s+/g, " ");
  }

  function applyFilters() {
    const verdicts = new Set(Array.from($("verdict-filter").querySelectorAll("input:checked"), (i) => i.value));
    const only = sourceFilter.value === "" ? -1 : Number(sourceFilter.value);
    const terms = fold(search.value).split(" ").filter(Boolean);
    let count = 0;
    findings.forEach((f, i) => {
      const ok = verdicts.has(f.verdict) && (only < 0 || sourcesOf[i].includes(only))
        && terms.every((term) => haystack(i).includes(term));
      visible[i] = ok ? 1 : 0;
      count += visible[i];
    });
    renderList();
    columns.forEach((c) => c && c.refresh());
    const total = findings.length;
    shown.textContent = count === total ? "Showing all " + total + " findings"
      : "Showing " + count + " of " + total + " findings";
  }

  // --- the findings list, built in slices -------------------------------------------------------------
  const rows = new Map();
  let generation = 0;
  let pendingRows = [];

  function renderList() {
    generation += 1;
    list.textContent = "";
    rows.clear();
    pendingRows = [];
    findings.forEach((f, i) => { if (visible[i]) pendingRows.push(i); });
    appendRows(FIRST_ROWS);
    if (pendingRows.length) inSlices(generation, () => appendRows(20));
  }

  function appendRows(n) {
    const fragment = document.createDocumentFragment();
    for (const i of pendingRows.splice(0, n)) {
      const row = findingRow(i);
      rows.set(i, row);
      fragment.append(row);
    }
    list.append(fragment);
    builtYet();
    return pendingRows.length > 0;
  }

  let complete = false;

  function builtYet() {
    // Once every row and every column is built: a mark for the benchmark, and find-in-page sees all.
    if (complete || pendingRows.length || !columns.every((c) => c && c.built)) return;
    complete = true;
    document.documentElement.dataset.complete = "true";
    if (window.performance && performance.mark) performance.mark("reconcile-complete");
  }

  function inSlices(owner, step) {
    // Runs step() in slices of about 12 ms until it returns false or a newer list replaces it.
    // Each slice yields to the browser, so the page answers clicks and keys while it grows.
    // (requestIdleCallback would wait for idle time a busy machine never has.)
    const tick = () => {
      if (owner !== generation && owner !== "columns") return;
      const until = performance.now() + 12;
      let more = true;
      do { more = step(); } while (more && performance.now() < until);
      if (more) setTimeout(tick, 0);
    };
    setTimeout(tick, 0);
  }

  function findingRow(i) {
    const f = findings[i];
    const row = el("li", "finding v-" + f.verdict + (i === selected ? " selected" : ""));
    row.id = "finding-" + i;
    row.dataset.index = String(i);
    const head = el("button", "finding-head");
    head.type = "button";
    head.setAttribute("aria-pressed", i === selected ? "true" : "false");
    head.append(badge(f.verdict, f.kind), el("span", "topic", f.topic));
    if (f.severity) head.append(el("span", "severity", f.severity));
    row.append(head);
    row.append(valueList(f));
    row.append(el("p", "summary", f.summary));
    const why = [];
    if (f.score !== null && f.score !== undefined) why.push("alignment score " + f.score);
    why.push(f.rules.length ? "rules: " + f.rules.join(", ") : "no rules");
    row.append(el("p", "why", "Why: " + why.join("; ")));
    return row;
  }

  function valueList(f) {
    const conflicting = new Set();
    for (const [a, b] of f.conflicts) { conflicting.add(a); conflicting.add(b); }
    const all = f.values.length ? f.values.map(([c, value]) => [c, value])
      : f.claims.map((claim, c) => [c, STANCES[claim[2]] || (f.verdict === "unique" ? "only source" : "tells it")]);
    // Two sentences of one line that give the same value are one chip: "denies · line 9" once.
    const seen = new Set();
    const entries = all.filter(([c, value]) => {
      const [s, m] = f.claims[c];
      const key = s + "\u0000" + value + "\u0000" + sources[s].marks[m][2];
      if (seen.has(key) && !conflicting.has(c)) return false;
      seen.add(key);
      return true;
    });
    const ul = el("ul", "values");
    ul.setAttribute("aria-label", "What each source gives");
    const chip = ([c, value]) => {
      const [s, m] = f.claims[c];
      const item = el("li", "value" + (conflicting.has(c) ? " conflicting" : ""));
      item.append(el("span", "who", sources[s].name + " "), el("span", "what", value),
        el("span", "who", " · line " + sources[s].marks[m][2]));
      return item;
    };
    for (const entry of entries.slice(0, MAX_VALUES)) ul.append(chip(entry));
    if (entries.length > MAX_VALUES) {  // a fact told by a hundred sources: the rest on request
      const item = el("li", "more-item");
      const more = el("button", "more", "+" + (entries.length - MAX_VALUES) + " more");
      more.type = "button";
      more.addEventListener("click", (event) => {
        event.stopPropagation();
        item.replaceWith(...entries.slice(MAX_VALUES).map(chip));
      });
      item.append(more);
      ul.append(item);
    }
    return ul;
  }

  list.addEventListener("click", (event) => {
    const row = event.target.closest("li.finding");
    if (row && !event.target.closest("a, .more")) select(Number(row.dataset.index), {focusRow: false});
  });
  list.addEventListener("keydown", (event) => {
    const head = event.target.closest(".finding-head");
    if (!head) return;
    const heads = Array.from(list.querySelectorAll(".finding-head"));
    const at = heads.indexOf(head);
    const to = {ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: heads.length - 1}[event.key];
    if (to === undefined || !heads[to]) return;
    event.preventDefault();
    heads[to].focus();
  });

  // --- the columns, one per source, each built when it is first needed ------------------------------
  let selected = -1;
  let current = [];

  class Column {
    constructor(s) {
      const source = sources[s];
      this.s = s;
      this.pieces = source.marks.map(() => []);
      this.built = false;
      const node = el("article", "column" + (source.draft ? " draft" : ""));
      node.id = "source-" + s;
      node.setAttribute("aria-labelledby", "source-" + s + "-name");
      const head = el("header", "column-head");
      const title = el("h3", null, sourceName(source));
      title.id = "source-" + s + "-name";
      if (source.draft) title.append(el("span", "role", "draft"));
      head.append(title);
      const url = webUrl(source.url);
      const meta = el("p");
      meta.append([when(source.date), source.path || ""].filter(Boolean).join(" · "));
      if (url) {
        const link = el("a", null, "original");
        link.href = url;
        link.rel = "noopener noreferrer external";
        link.target = "_blank";
        meta.append(meta.textContent ? " · " : "", link);
      }
      const n = source.marks.reduce((sum, mark, m) => sum + findingsOf[s][m].length, 0);
      meta.append((meta.textContent ? " · " : "") + source.marks.length + " cited sentences");
      head.append(meta);
      const back = el("a", "back", "↑ back to the findings");
      back.href = "#findings";
      head.append(back);
      this.body = el("div", "column-body pending");
      this.body.tabIndex = 0;
      this.body.setAttribute("role", "region");
      this.body.setAttribute("aria-label", "Text of " + source.name + (n ? "" : ", no findings"));
      node.append(head, this.body);
      this.node = node;
    }

    build() {
      if (this.built) return;
      this.built = true;
      const source = sources[this.s];
      const text = source.text;
      const marks = source.marks;
      const fragment = document.createDocumentFragment();
      if (source.excerpt) {
        fragment.append(el("p", "excerpt-note", "Only the sentences the findings cite: the article's own text was not given."));
      }
      let para = null;
      let previous = -1;
      let k = 0;
      for (const [n, a, b] of source.lines) {
        if (!para || n > previous + 1) {
          para = el("div", "para");
          fragment.append(para);
        }
        previous = n;
        const line = el("span", "line");
        line.dataset.n = String(n);
        while (k < marks.length && marks[k][1] <= a) k += 1;
        let at = a;
        let j = k;
        while (j < marks.length && marks[j][0] < b) {
          const from = Math.max(marks[j][0], a);
          const to = Math.min(marks[j][1], b);
          if (from > at) line.append(text.slice(at, from));
          line.append(...this.piece(j, text.slice(from, to), from === marks[j][0]));
          at = to;
          if (marks[j][1] > b) break;  // the sentence goes on on the next line
          j += 1;
        }
        k = j;
        if (at < b) line.append(text.slice(at, b));
        para.append(line);
      }
      this.body.append(fragment);
      this.body.classList.remove("pending");
      this.refresh();
      builtYet();
      for (const [s, m] of selected >= 0 ? findings[selected].claims : []) {
        if (s === this.s) this.mark(m);
      }
    }

    piece(m, text, first) {
      const verdict = markVerdict[this.s][m];
      const node = el("mark", "ev v-" + verdict, text);
      node.dataset.m = String(m);
      const out = [node];
      if (first) {
        const cited = findingsOf[this.s][m];
        node.tabIndex = 0;
        node.setAttribute("role", "button");
        node.title = word(verdict) + ": cited by " + cited.length + (cited.length === 1 ? " finding" : " findings")
          + " (select to list them)";
        const marker = el("span", "ev-icon v-" + verdict);
        marker.append(icon(verdict));
        out.unshift(marker);
      }
      this.pieces[m].push(node);
      return out;
    }

    refresh() {
      if (!this.built) return;
      this.pieces.forEach((nodes, m) => {
        const live = findingsOf[this.s][m].some((i) => visible[i]);
        for (const node of nodes) node.classList.toggle("muted", !live);
      });
    }

    mark(m) {
      for (const node of this.pieces[m]) {
        node.classList.add("current");
        node.setAttribute("aria-current", "true");
        current.push(node);
      }
    }

    scrollTo(m) {
      const node = this.pieces[m][0];
      if (!node) return;
      const body = this.body.getBoundingClientRect();
      const top = node.getBoundingClientRect().top - body.top + this.body.scrollTop;
      this.body.scrollTop = Math.max(0, top - this.body.clientHeight / 3);
    }
  }

  const columns = sources.map(() => null);

  function column(s) {
    if (!columns[s]) columns[s] = new Column(s);
    return columns[s];
  }

  function renderColumns() {
    const fragment = document.createDocumentFragment();
    sources.forEach((source, s) => fragment.append(column(s).node));
    strip.append(fragment);
    if ("IntersectionObserver" in window) {
      const seen = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) {
            column(Number(entry.target.id.slice("source-".length))).build();
            seen.unobserve(entry.target);
          }
        }
      }, {rootMargin: "200px"});
      columns.forEach((c) => seen.observe(c.node));
    }
    let next = 0;
    inSlices("columns", () => {
      while (next < columns.length && columns[next].built) next += 1;
      if (next < columns.length) columns[next].build();
      return next < columns.length;
    });
  }

  // --- selecting a finding: every column shows its sentence ----------------------------------------
  function select(i, options) {
    for (const node of current) {
      node.classList.remove("current");
      node.removeAttribute("aria-current");
    }
    current = [];
    const before = rows.get(selected);
    if (before) {
      before.classList.remove("selected");
      before.querySelector(".finding-head").setAttribute("aria-pressed", "false");
    }
    selected = i;
    const row = rows.get(i);
    if (row) {
      row.classList.add("selected");
      row.querySelector(".finding-head").setAttribute("aria-pressed", "true");
      if (options && options.focusRow) {
        row.scrollIntoView({block: "nearest"});
        row.querySelector(".finding-head").focus({preventScroll: true});
      }
    }
    const first = new Map();
    for (const [s, m] of findings[i].claims) {
      const c = column(s);
      c.build();
      c.mark(m);
      if (!first.has(s)) first.set(s, m);
    }
    for (const [s, m] of first) column(s).scrollTo(m);
    const lead = first.keys().next();
    if (!lead.done) {
      const node = column(lead.value).node;
      if (narrow.matches) {
        if (!(options && options.focusRow)) node.scrollIntoView({block: "start"});
      } else if (node.offsetLeft < strip.scrollLeft
                 || node.offsetLeft + node.offsetWidth > strip.scrollLeft + strip.clientWidth) {
        strip.scrollLeft = node.offsetLeft - strip.offsetLeft - 8;
      }
    }
    try {
      history.replaceState(null, "", "#finding-" + i);  // a link to the page with this finding open
    } catch (error) {
      // an attachment viewer may not allow it; the selection stands anyway
    }
  }

  // --- a highlighted sentence lists its findings ---------------------------------------------------------
  let popover = null;

  function closePopover(focusBack) {
    if (!popover) return;
    const back = popover.back;
    popover.remove();
    popover = null;
    if (focusBack && back) back.focus();
  }

  function openPopover(s, m, mark) {
    closePopover(false);
    const source = sources[s];
    const cited = findingsOf[s][m];
    const box = el("div", "popover");
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Findings that cite this sentence");
    const close = el("button", "close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", () => closePopover(true));
    box.append(close, el("p", null, source.name + ", line " + source.marks[m][2] + ": "
      + cited.length + (cited.length === 1 ? " finding" : " findings")));
    const ul = el("ul");
    for (const i of cited) {
      const f = findings[i];
      const button = el("button");
      button.type = "button";
      button.append(badge(f.verdict, f.kind), el("span", "topic", f.topic));
      if (!visible[i]) button.append(el("span", "severity", "filtered out"));
      button.addEventListener("click", () => {
        closePopover(false);
        select(i, {focusRow: true});
      });
      const item = el("li");
      item.append(button);
      ul.append(item);
    }
    box.append(ul);
    box.back = mark;
    box.addEventListener("keydown", (event) => {
      if (event.key === "Escape") {
        event.preventDefault();
        closePopover(true);
      }
    });
    mark.closest(".line").after(box);
    popover = box;
    box.querySelector("li button").focus();
  }

  strip.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.ev");
    if (!mark) return;
    const s = Number(mark.closest(".column").id.slice("source-".length));
    const m = Number(mark.dataset.m);
    openPopover(s, m, column(s).pieces[m][0]);
  });
  strip.addEventListener("keydown", (event) => {
    if ((event.key === "Enter" || event.key === " ") && event.target.matches("mark.ev")) {
      event.preventDefault();
      event.target.click();
    }
  });

  // --- print: everything, built at once -------------------------------------------------------------
  window.addEventListener("beforeprint", () => {
    while (appendRows(1000)) { /* every row */ }
    for (const more of list.querySelectorAll(".more")) more.click();  // every value of every finding
    columns.forEach((c) => c.build());
    $("sources-box").open = true;
  });

  renderHeader();
  renderFilters();
  renderColumns();
  applyFilters();
  const wanted = /^#finding-(\d+)$/.exec(location.hash);
  if (wanted && Number(wanted[1]) < findings.length) select(Number(wanted[1]), {focusRow: false});
  document.documentElement.dataset.ready = "true";
  if (window.performance && performance.mark) performance.mark("reconcile-ready");
})();
