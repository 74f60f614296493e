import type { Page } from 'playwright-core';

/**
 * The view's form controls (buttons, inputs, selects; the navigation and header are outside <main>) and the
 * accessible text of those that are enabled. On the people and BYOC views every one of them changes something,
 * so a key without the permission must find them all disabled (a control in a disabled fieldset is disabled too).
 */
export async function enabledControls(page: Page): Promise<{ total: number; enabled: string[] }> {
  return page.locator('main').evaluate((main) => {
    const controls = [...main.querySelectorAll<HTMLElement>('button, input, select, textarea')];
    return {
      total: controls.length,
      enabled: controls.filter((c) => !c.matches(':disabled')).map((c) => `${c.tagName.toLowerCase()} ${c.textContent?.trim() || c.getAttribute('aria-label') || (c as HTMLInputElement).type}`),
    };
  });
}
