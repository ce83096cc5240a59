/**
 * The tag beside a customer's email: "unverified" when the visitor typed it in the
 * widget (an agent must not treat it as proof of who they are talking to), "verified"
 * when the site vouched for it with an identity signature. Visible text, explained on
 * hover (`title`) and to screen readers.
 */

/** A small tag, placed right after the email it qualifies. */
export function Unverified({ verified = false }: { verified?: boolean | undefined }) {
  if (verified) {
    return (
      <span class="hint verified" title="Vouched for by the site the customer is signed in to">
        verified<span class="sr-only"> (vouched for by the site the customer is signed in to)</span>
      </span>
    );
  }
  return (
    <span class="hint unverified" title="Typed by the visitor, not verified">
      unverified<span class="sr-only"> (typed by the visitor, not verified)</span>
    </span>
  );
}
