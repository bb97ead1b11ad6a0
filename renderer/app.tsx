import { CATALOG } from '../shared/catalog.ts';

/**
 * The assistant's UI. This first version only proves the layer setup (React, DOM types, shared/
 * imports, no Node); the review workflow, patient context and browser mode come with issue 4.
 */
export function App(): React.JSX.Element {
  const vitalCodes = Object.values(CATALOG).filter((e) => e.category === 'vital-signs').length;
  return (
    <main aria-label="POC Hub">
      <h1>POC Hub</h1>
      <p>{vitalCodes} vital-sign codes in the catalog.</p>
    </main>
  );
}
