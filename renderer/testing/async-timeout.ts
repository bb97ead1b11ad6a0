/**
 * jsdom tests: findBy… and waitFor wait up to 10 s, not testing-library's 1 s. CI runs every file at
 * once on two cores, where a throttled re-fetch (the outbox rows) can take longer than a second;
 * a wait that ends as soon as the page shows the state costs nothing when it is quick.
 */
if (typeof document !== 'undefined') {
  const { configure } = await import('@testing-library/react');
  configure({ asyncUtilTimeout: 10_000 });
}
