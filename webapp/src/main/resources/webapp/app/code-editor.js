// A small Java editor without a library (the page has no build step): a <textarea> for the
// typing, caret, selection and undo, laid over a <pre> holding a highlighted copy of its text,
// a second <pre> drawing the diagnostics' underlines, and a line-number gutter.

const KEYWORDS = new Set(("abstract assert boolean break byte case catch char class const continue default do double"
  + " else enum extends final finally float for goto if implements import instanceof int interface long native new"
  + " package private protected public record return sealed permits short static strictfp super switch synchronized"
  + " this throw throws transient try var void volatile while yield true false null").split(" "));

// One alternative per kind of token; the lazy comment and text-block ends also accept the end of
// the text, so an unfinished one colours the rest as it will compile.
const TOKEN = new RegExp([
  String.raw`(\/\*[\s\S]*?(?:\*\/|$))`,                     // 1 block comment
  String.raw`(\/\/[^\n]*)`,                                  // 2 line comment
  String.raw`("""[\s\S]*?(?:"""|$)|"(?:[^"\\\n]|\\.)*"?)`,   // 3 text block or string
  String.raw`('(?:[^'\\\n]|\\.)*'?)`,                        // 4 char
  String.raw`(@[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)`,    // 5 annotation
  String.raw`((?:0[xX][\da-fA-F_]+|0[bB][01_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)[lLfFdD]?)`, // 6 number
  String.raw`([A-Za-z_$][\w$]*)`                             // 7 word
].join("|"), "g");
const CLASSES = [null, "t-comment", "t-comment", "t-string", "t-string", "t-annotation", "t-number"];

const escape = text => text.replace(/[&<>]/g, c => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));

/** The text as HTML with a span around each token worth a colour. */
export function highlight(text) {
  let html = "", last = 0;
  for (const match of text.matchAll(TOKEN)) {
    const group = match.findIndex((g, i) => i > 0 && g !== undefined);
    const word = match[7];
    const kind = word === undefined ? CLASSES[group]
      : KEYWORDS.has(word) ? "t-keyword" : /^[A-Z]/.test(word) ? "t-type" : null;
    html += escape(text.slice(last, match.index));
    html += kind ? `<span class="${kind}">${escape(match[0])}</span>` : escape(match[0]);
    last = match.index + match[0].length;
  }
  return html + escape(text.slice(last));
}

/** javac counts columns with tabs expanded to stops of 8: the index in the line it means. */
function indexOfColumn(line, column) {
  let col = 1;
  for (let i = 0; i < line.length; i++) {
    if (col >= column) return i;
    col = line[i] === "\t" ? Math.floor((col - 1) / 8) * 8 + 9 : col + 1;
  }
  return line.length;
}

/** The part of the line to underline: the token at the index, else the rest of the line. */
function markedRange(line, index) {
  const token = /^(?:[\w$]+|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|\S)/.exec(line.slice(index));
  const end = token ? index + token[0].length : line.length;
  return [index, Math.max(end, index)];
}

const SEVERITY = { error: 0, warning: 1, note: 2 };

/**
 * Makes the editor inside {@code root} (which holds the textarea).
 * options.onChange(text) after each change (at most once a frame), options.onRun() on Ctrl/Cmd+Enter.
 */
export function createCodeEditor(root, { onChange, onRun }) {
  const input = root.querySelector("textarea");
  const gutter = document.createElement("div"), numbers = document.createElement("div");
  const colours = document.createElement("pre"), colourText = document.createElement("code");
  const underlines = document.createElement("pre"), underlineText = document.createElement("code");
  gutter.className = "gutter"; numbers.className = "numbers"; colours.className = "layer colours"; underlines.className = "layer underlines";
  for (const element of [gutter, colours, underlines]) element.setAttribute("aria-hidden", "true");
  gutter.append(numbers); colours.append(colourText); underlines.append(underlineText);
  root.prepend(gutter);
  input.before(underlines, colours);

  let marks = new Map();   // line (1-based) -> {kind, start, end, text, messages}
  let pending = false, gutterKey = "", tabLeaves = false;

  function render() {
    pending = false;
    const text = input.value, lines = text.split("\n");
    for (const [line, mark] of marks) if (lines[line - 1] !== mark.text) marks.delete(line);
    colourText.innerHTML = highlight(text) + "\n";
    underlineText.innerHTML = lines.map((line, i) => underline(line, marks.get(i + 1))).join("\n") + "\n";
    renderGutter(lines.length);
    syncScroll();
    onChange(text);
  }

  function underline(line, mark) {
    if (!mark) return "";
    const marked = line.slice(mark.start, mark.end) || "\u00a0";
    return `${escape(line.slice(0, mark.start))}<span class="squiggle ${mark.kind}">${escape(marked)}</span>`;
  }

  function renderGutter(count) {
    const key = count + "|" + [...marks].map(([line, mark]) => line + mark.kind).join();
    if (key === gutterKey) return;
    gutterKey = key;
    numbers.replaceChildren(...Array.from({ length: count }, (_, i) => {
      const number = document.createElement("div");
      number.textContent = i + 1;
      const mark = marks.get(i + 1);
      if (mark) { number.className = mark.kind; number.title = mark.messages.join("\n"); }
      return number;
    }));
  }

  function syncScroll() {
    const shift = `translate(${-input.scrollLeft}px, ${-input.scrollTop}px)`;
    colourText.style.transform = shift;
    underlineText.style.transform = shift;
    numbers.style.transform = `translateY(${-input.scrollTop}px)`;
  }

  function changed() {
    if (!pending) { pending = true; requestAnimationFrame(render); }
  }

  /** Types text at the caret as the user would, so that undo still works. */
  function insert(text) {
    if (!document.execCommand("insertText", false, text)) {
      input.setRangeText(text, input.selectionStart, input.selectionEnd, "end");
      changed();
    }
  }

  input.addEventListener("input", changed);
  input.addEventListener("scroll", syncScroll);
  input.addEventListener("keydown", event => {
    const leaving = tabLeaves;
    tabLeaves = event.key === "Escape";
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      onRun();
    } else if (event.key === "Tab" && !leaving && !event.shiftKey && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      insert("    ");
    } else if (event.key === "Enter" && !event.shiftKey && !event.altKey) {
      // keep the indentation of the line the caret is on
      event.preventDefault();
      const start = input.value.lastIndexOf("\n", input.selectionStart - 1) + 1;
      insert("\n" + /^[ \t]*/.exec(input.value.slice(start, input.selectionStart))[0]);
    }
  });
  // the textarea covers the underlines: it shows the messages of the line under the pointer
  input.addEventListener("mousemove", event => {
    const lineHeight = parseFloat(getComputedStyle(input).lineHeight);
    const top = parseFloat(getComputedStyle(input).paddingTop);
    const mark = marks.get(Math.floor((event.offsetY - top + input.scrollTop) / lineHeight) + 1);
    input.title = mark ? mark.messages.join("\n") : "";
  });

  return {
    get text() { return input.value; },
    set text(value) {
      input.value = value;
      marks = new Map();
      changed();
    },

    /** Marks the lines of diagnostics ({kind: error|warning|note, line, column, message}); line 0 has no place. */
    mark(diagnostics) {
      const lines = input.value.split("\n");
      marks = new Map();
      for (const d of [...diagnostics].sort((a, b) => SEVERITY[a.kind] - SEVERITY[b.kind])) {
        if (d.line < 1 || d.line > lines.length) continue;
        const line = lines[d.line - 1], existing = marks.get(d.line);
        if (existing) { existing.messages.push(d.message); continue; }
        const [start, end] = markedRange(line, indexOfColumn(line, d.column));
        marks.set(d.line, { kind: d.kind, start, end, text: line, messages: [d.message] });
      }
      gutterKey = "";
      changed();
    },

    /** Puts the caret at line:column (1-based) and scrolls it into the middle of the view. */
    goTo(line, column) {
      const lines = input.value.split("\n");
      const row = Math.min(Math.max(1, line), lines.length);
      let offset = 0;
      for (let i = 0; i < row - 1; i++) offset += lines[i].length + 1;
      offset += indexOfColumn(lines[row - 1], Math.max(1, column));
      input.focus();
      input.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(input).lineHeight);
      input.scrollTop = Math.max(0, (row - 1) * lineHeight - input.clientHeight / 2);
      syncScroll();
    }
  };
}
