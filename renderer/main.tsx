// First: must run before any module that defines a zod schema (see zod-setup.ts).
import './zod-setup.ts';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createHubClient } from './client/index.ts';
import './styles.css';

const root = document.getElementById('root');
if (root) createRoot(root).render(<App client={createHubClient(window)} />);
