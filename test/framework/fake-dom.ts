// A minimal DOM stand-in for UI unit tests: just the element API the framework's
// ui/ modules use. Deliberately has no innerHTML, so any attempt to parse markup
// would throw instead of passing silently.
type Listener = (e: any) => void;

export class FakeElement {
  tagName: string;
  children: FakeElement[] = [];
  parentNode: FakeElement | null = null;
  className = '';
  hidden = false;
  disabled = false;
  attributes = new Map<string, string>();
  listeners = new Map<string, Listener[]>();
  style = {
    props: new Map<string, string>(),
    setProperty(k: string, v: string) {
      this.props.set(k, v);
    },
  };
  private ownText = '';

  constructor(tag: string) {
    this.tagName = tag.toUpperCase();
  }
  get textContent(): string {
    return this.ownText + this.children.map((c) => c.textContent).join('');
  }
  set textContent(value: string) {
    this.children = [];
    this.ownText = String(value);
  }
  get innerHTML(): never {
    throw new Error('innerHTML is not supported by the fake DOM');
  }
  set innerHTML(_v: string) {
    throw new Error('innerHTML must not be used: text goes in via textContent');
  }
  appendChild(child: FakeElement): FakeElement {
    child.parentNode = this;
    this.children.push(child);
    return child;
  }
  append(...nodes: FakeElement[]): void {
    for (const n of nodes) this.appendChild(n);
  }
  replaceChildren(...nodes: FakeElement[]): void {
    this.children = [];
    this.ownText = '';
    this.append(...nodes);
  }
  insertBefore(node: FakeElement, _ref: FakeElement): FakeElement {
    return this.appendChild(node);
  }
  setAttribute(k: string, v: string): void {
    this.attributes.set(k, v);
  }
  getAttribute(k: string): string | null {
    return this.attributes.get(k) ?? null;
  }
  addEventListener(type: string, fn: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), fn]);
  }
  click(): void {
    if (this.disabled) return;
    for (const fn of this.listeners.get('click') ?? []) fn({ stopPropagation() {} });
  }
  /** Depth-first search by tag name. */
  findAll(tag: string): FakeElement[] {
    const out: FakeElement[] = [];
    for (const c of this.children) {
      if (c.tagName === tag.toUpperCase()) out.push(c);
      out.push(...c.findAll(tag));
    }
    return out;
  }
}

export class FakeDocument {
  created = 0;
  documentElement = new FakeElement('html');
  createElement(tag: string): FakeElement {
    this.created++;
    return new FakeElement(tag);
  }
}
