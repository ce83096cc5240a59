/**
 * The "unverified" tag beside a customer's email: the visitor typed it in the widget
 * and nothing in Parley checks it yet, so an agent must not treat it as proof of who
 * they are talking to. Visible text, explained on hover (`title`) and to screen readers.
 */

/** A small muted tag, placed right after the email it qualifies. */
export function Unverified() {
  return (
    <span class="hint unverified" title="Typed by the visitor, not verified">
      unverified<span class="sr-only"> (typed by the visitor, not verified)</span>
    </span>
  );
}
