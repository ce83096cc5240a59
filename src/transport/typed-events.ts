/**
 * `EventTarget` typed by an event map, for the transport and its owners (`ChatClient`,
 * `AgentConnection`): listeners get `CustomEvent`s whose `detail` has the map's type.
 * Types only: at run time it is `EventTarget` itself, so it costs no bytes.
 */

/** An `EventTarget` whose events are `CustomEvent`s with the details of `M`. */
export interface TypedEventTarget<M> extends EventTarget {
  addEventListener<K extends keyof M & string>(type: K, listener: (e: CustomEvent<M[K]>) => void, options?: boolean | AddEventListenerOptions): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof M & string>(type: K, listener: (e: CustomEvent<M[K]>) => void, options?: boolean | EventListenerOptions): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** `EventTarget`, to extend as `TypedEventTarget<Map>`. */
export const TypedEventTarget = EventTarget as new <M>() => TypedEventTarget<M>;
