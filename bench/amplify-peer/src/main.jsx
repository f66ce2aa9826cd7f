// The login a team would otherwise pick: Amplify UI's Authenticator on a Cognito user pool, as
// its getting-started guide shows it. Sign-up hidden, as on this portal.
import { Authenticator } from '@aws-amplify/ui-react';
import { Amplify } from 'aws-amplify';
import { createRoot } from 'react-dom/client';
import '@aws-amplify/ui-react/styles.css';

Amplify.configure({
  Auth: { Cognito: { userPoolId: 'eu-west-1_Example12', userPoolClientId: 'examplec1ient1d0000000000' } },
});

createRoot(document.getElementById('root')).render(
  <main>
    <Authenticator hideSignUp>
      {({ signOut, user }) => (
        <section>
          <h1>Welcome {user?.username}</h1>
          <button type="button" onClick={signOut}>
            Sign out
          </button>
        </section>
      )}
    </Authenticator>
  </main>,
);
