import {
  createRemoteReceiver,
  KIND_COMPONENT,
  KIND_TEXT,
  type RemoteReceiver,
} from "@remote-ui/core";

/** A node of the tree an extension rendered, as the host (Shopify) receives it. */
export interface HostNode {
  kind: number;
  type?: string;
  text?: string;
  props?: Record<string, any>;
  children?: HostNode[];
}

/** What Shopify's host would hold: a receiver the extension's remote root renders into. */
export function createHost(): RemoteReceiver {
  return createRemoteReceiver();
}

export function rootOf(receiver: RemoteReceiver): HostNode {
  return receiver.attached.root as unknown as HostNode;
}

/** All text under a node, as a buyer or merchant would read it (components separated by spaces). */
export function textOf(node: HostNode): string {
  if (node.kind === KIND_TEXT) return node.text ?? "";
  return (node.children ?? [])
    .map(textOf)
    .filter(Boolean)
    .join(node.kind === KIND_COMPONENT && node.type?.includes("Inline") ? " " : "\n")
    .replace(/\n{2,}/g, "\n");
}

export function findAll(
  node: HostNode,
  type: string,
  predicate: (n: HostNode) => boolean = () => true,
): HostNode[] {
  const found: HostNode[] = [];
  const visit = (n: HostNode) => {
    if (n.kind === KIND_COMPONENT && n.type === type && predicate(n)) found.push(n);
    n.children?.forEach(visit);
  };
  visit(node);
  return found;
}

/** The one component of `type` whose text contains `text`; throws when there is none. */
export function find(node: HostNode, type: string, text?: string | RegExp): HostNode {
  const matches = findAll(
    node,
    type,
    (n) =>
      text === undefined ||
      (typeof text === "string" ? textOf(n).includes(text) : text.test(textOf(n))),
  );
  if (!matches[0])
    throw new Error(`no ${type}${text ? ` with text ${String(text)}` : ""} in:\n${textOf(node)}`);
  return matches[0];
}

export async function waitFor<T>(
  check: () => T | undefined | null | false,
  timeoutMs = 2_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw lastError instanceof Error ? lastError : new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
