/** An attachment (`{@attach focusOnMount}`) for controls that appear because the user asked for them. */
export const focusOnMount = (element: HTMLElement) => element.focus();
