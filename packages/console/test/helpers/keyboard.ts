import type { Locator, Page } from 'playwright-core';

/**
 * Moves the focus with Tab (or Shift+Tab) until it is on `target`, as a keyboard user would;
 * fails after `limit` presses, so a control the keyboard cannot reach fails the test.
 */
export async function tabTo(page: Page, target: Locator, { back = false, limit = 60 } = {}): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await isFocused(target)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  if (!(await isFocused(target))) throw new Error(`${target} not reached with ${limit} presses of ${back ? 'Shift+Tab' : 'Tab'}`);
}

/** Whether `target` (one element, present now) has the focus; never waits for it to appear. */
export async function isFocused(target: Locator): Promise<boolean> {
  if ((await target.count()) !== 1) return false;
  return target.evaluate((element) => element === document.activeElement);
}
