// Not part of the app (nothing imports it): `npm run typecheck` checks it, to prove the
// typings of parley-chat/react are neither missing nor too loose. Each
// `@ts-expect-error` fails the typecheck if the line after it type-checks.
import { useRef } from 'react';
import type { ParleyChat } from 'parley-chat';
import type {} from 'parley-chat/react';

export function TypingsCheck() {
  const chat = useRef<ParleyChat>(null);
  const input = useRef<HTMLInputElement>(null);
  const strings = { launcher: 'Talk to us' };
  const onOpen = () => chat.current?.open();
  return (
    <>
      <parley-chat ref={chat} relay="https://chat.example.com" heading="Support" launcher-label="Chat" position="left" lang="de" theme="dark" hide-launcher page-url="none" className="chat" id="chat" onClick={onOpen} />
      <parley-chat relay="https://chat.example.com" launcherLabel="Chat" hideLauncher={false} pageUrl="full" opened strings={strings} theme="auto" />
      {/* @ts-expect-error: "purple" is no theme */}
      <parley-chat theme="purple" />
      {/* @ts-expect-error: position is right or left */}
      <parley-chat position="top" />
      {/* @ts-expect-error: page-url is path, full or none */}
      <parley-chat page-url="everything" />
      {/* @ts-expect-error: open would overwrite the method open(); the property is opened */}
      <parley-chat open />
      {/* @ts-expect-error: relay is a string */}
      <parley-chat relay={8080} />
      {/* @ts-expect-error: the ref is a ParleyChat, not an input */}
      <parley-chat ref={input} />
    </>
  );
}
