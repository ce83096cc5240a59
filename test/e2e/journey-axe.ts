/**
 * Runs axe-core in a page and returns its violations in a form that reads well in a
 * failed assertion (rule, impact, the elements and axe's own summary). The pages here
 * have a strict CSP, so the caller's browser context must have `bypassCSP` set for the
 * audit script to be injected; nothing else in the page changes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ROOT } from './journey-setup.js';

const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/** One axe violation, flattened. */
export interface AxeFinding {
  rule: string;
  impact: string | null;
  nodes: { target: unknown; summary: string }[];
}

/** What one audit found: the violations, and how many rules passed (to show the audit ran). */
export interface AxeReport {
  violations: AxeFinding[];
  passes: number;
}

/**
 * Audits `include` (a CSS selector of a host element or container; its open shadow
 * tree is audited too) with axe's default rules.
 */
export async function audit(page: Page, include: string): Promise<AxeReport> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  // Colours are measured as drawn: let opening animations (the panel fades in) finish first.
  await page.evaluate(async () => {
    const roots: (Document | ShadowRoot)[] = [document];
    for (const el of document.querySelectorAll('*')) if (el.shadowRoot) roots.push(el.shadowRoot);
    const running = roots.flatMap((r) => r.getAnimations()).filter((a) => a.playState === 'running');
    await Promise.race([Promise.all(running.map((a) => a.finished.catch(() => undefined))), new Promise((r) => setTimeout(r, 2_000))]);
  });
  return page.evaluate(async (sel) => {
    type AxeResults = {
      violations: { id: string; impact: string | null; nodes: { target: unknown; failureSummary?: string }[] }[];
      passes: unknown[];
    };
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<AxeResults> } }).axe;
    const r = await axe.run(
      { include: [sel] },
      // axe's default rule set (WCAG 2.x A and AA plus best practices), colour contrast included.
      { resultTypes: ['violations'] },
    );
    return {
      violations: r.violations.map((v) => ({
        rule: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary ?? '' })),
      })),
      passes: r.passes.length,
    };
  }, include);
}
