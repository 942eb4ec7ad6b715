/**
 * The smallest DOM the Admin's Preact extensions need (2025-10 and later): Preact renders
 * Polaris web components (`s-admin-block`, `s-stack`…) into `document.body`, and Shopify's host
 * reads their attributes and properties. Elements here keep attributes and listeners only, so
 * tests read what the admin would draw and fire the events a merchant's clicks would.
 */

export type DomNode = ElementNode | TextNode;

abstract class BaseNode {
  parentNode: ElementNode | null = null;
  get nextSibling(): DomNode | null {
    const siblings = this.parentNode?.childNodes;
    if (!siblings) return null;
    return siblings[siblings.indexOf(this as unknown as DomNode) + 1] ?? null;
  }
  remove() {
    this.parentNode?.removeChild(this as unknown as DomNode);
  }
}

export class TextNode extends BaseNode {
  readonly nodeType = 3;
  constructor(public data: string) {
    super();
  }
}

type Listener = (this: ElementNode, event: FakeEvent) => void;

export interface FakeEvent {
  type: string;
  target: ElementNode;
  currentTarget: ElementNode;
}

export class ElementNode extends BaseNode {
  readonly nodeType = 1;
  readonly childNodes: DomNode[] = [];
  readonly attributes = new Map<string, string>();
  readonly style: Record<string, string> = {};
  private readonly listeners = new Map<string, Set<Listener>>();
  // The web components' own events: present so Preact binds onClick/onChange/onInput to
  // "click"/"change"/"input", as it does on a real element.
  onclick = null;
  onchange = null;
  oninput = null;
  /** Field components keep what the merchant typed as a property, as real inputs do. */
  value = "";

  constructor(readonly localName: string) {
    super();
  }
  get firstChild(): DomNode | null {
    return this.childNodes[0] ?? null;
  }
  appendChild(child: DomNode) {
    return this.insertBefore(child, null);
  }
  insertBefore(child: DomNode, before: DomNode | null) {
    child.parentNode?.removeChild(child);
    const index = before ? this.childNodes.indexOf(before) : -1;
    if (index < 0) this.childNodes.push(child);
    else this.childNodes.splice(index, 0, child);
    child.parentNode = this;
    return child;
  }
  removeChild(child: DomNode) {
    const index = this.childNodes.indexOf(child);
    if (index >= 0) this.childNodes.splice(index, 1);
    child.parentNode = null;
    return child;
  }
  setAttribute(name: string, value: string) {
    this.attributes.set(name, String(value));
  }
  getAttribute(name: string): string | null {
    return this.attributes.get(name) ?? null;
  }
  removeAttribute(name: string) {
    this.attributes.delete(name);
  }
  addEventListener(type: string, listener: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: Listener) {
    this.listeners.get(type)?.delete(listener);
  }
  /** Fires `type` at this element as the admin would after a merchant's click or edit. */
  dispatch(type: string) {
    const event: FakeEvent = { type, target: this, currentTarget: this };
    // Listeners run with the element as `this`, as the DOM calls them (Preact relies on it).
    for (const listener of this.listeners.get(type) ?? []) listener.call(this, event);
  }
}

export function createDocument() {
  const body = new ElementNode("body");
  return {
    body,
    createElement: (name: string) => new ElementNode(name),
    createElementNS: (_ns: string, name: string) => new ElementNode(name),
    createTextNode: (data: string) => new TextNode(data),
  };
}

/** All text under a node as a merchant reads it: inline stacks on one line, the rest stacked. */
export function textOf(node: DomNode): string {
  if (node.nodeType === 3) return node.data;
  const inline = node.localName === "s-stack" && node.getAttribute("direction") === "inline";
  return node.childNodes
    .map(textOf)
    .filter(Boolean)
    .join(inline ? " " : "\n")
    .replace(/\n{2,}/g, "\n");
}

export function findAll(
  node: DomNode,
  tag: string,
  predicate: (element: ElementNode) => boolean = () => true,
): ElementNode[] {
  const found: ElementNode[] = [];
  const visit = (n: DomNode) => {
    if (n.nodeType !== 1) return;
    if (n.localName === tag && predicate(n)) found.push(n);
    n.childNodes.forEach(visit);
  };
  visit(node);
  return found;
}

/** The first `tag` whose text contains `text`; throws (with what is on screen) when there is none. */
export function find(node: DomNode, tag: string, text?: string): ElementNode {
  const match = findAll(node, tag, (n) => text === undefined || textOf(n).includes(text))[0];
  if (!match) throw new Error(`no ${tag}${text ? ` with text ${text}` : ""} in:\n${textOf(node)}`);
  return match;
}
