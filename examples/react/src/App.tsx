// The whole integration: import the package once (it defines <parley-chat>), import its
// React typings, and render the element like any other tag.
import 'parley-chat';
import type {} from 'parley-chat/react';

// The relay to talk to: `?relay=` in the page's address, else the one `npm start` runs.
const relay = new URLSearchParams(location.search).get('relay') ?? 'http://127.0.0.1:8080';

export function App() {
  return (
    <main>
      <h1>Mugs, made with React</h1>
      <p>Questions about an order? Ask us in the chat.</p>
      <parley-chat relay={relay} heading="Mug support" launcher-label="Ask about mugs" theme="auto" />
    </main>
  );
}
