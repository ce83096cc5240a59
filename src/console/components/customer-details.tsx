/**
 * Who the customer is and where they were, as a description list: the email (marked
 * unverified when the visitor typed it, verified when the site vouched for it), the
 * name, and the page with its address. Shared by
 * the open chat and a past chat in History, which adds its own rows as children. Every
 * value is shown bidi-isolated (`Typed`); a page address becomes a link only when it is
 * http(s).
 */
import type { ComponentChildren } from 'preact';
import type { PageInfo } from '../../protocol/index.js';
import { Typed } from './typed.js';
import { Unverified } from './unverified.js';

/** Props of `CustomerDetails`. */
export interface CustomerDetailsProps {
  visitor: { email?: string; name?: string | null; verified?: boolean } | null;
  page: PageInfo | null;
  /** More rows (`<dt>`, `<dd>` pairs) after the customer's. */
  children?: ComponentChildren;
}

function safeHref(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** The customer's email, name and page. */
export function CustomerDetails({ visitor, page, children }: CustomerDetailsProps) {
  const pageHref = page ? safeHref(page.url) : undefined;
  return (
    <dl class="customer">
      <dt>Email</dt>
      <dd>
        {visitor?.email && (
          <>
            <Typed text={visitor.email} /> <Unverified verified={visitor.verified} />
          </>
        )}
      </dd>
      {visitor?.name && (
        <>
          <dt>Name</dt>
          <dd>
            <Typed text={visitor.name} />
          </dd>
        </>
      )}
      {page && (
        <>
          <dt>Page</dt>
          <dd>
            {pageHref ? (
              <a href={pageHref} target="_blank" rel="noopener noreferrer">
                <Typed text={page.title || page.url} />
              </a>
            ) : (
              <Typed text={page.title || page.url} />
            )}
            {page.title && (
              <span class="page-url">
                <Typed text={page.url} />
              </span>
            )}
          </dd>
        </>
      )}
      {children}
    </dl>
  );
}
