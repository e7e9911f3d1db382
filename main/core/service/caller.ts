// Who is calling: a signed-in principal. Its own module because both the
// authorizer (authorize.ts) and what a handler gets (context.ts) need it,
// and context.ts needs the authorizer.

export type CallSource = 'cli' | 'desktop' | 'sdk';

/** A signed-in principal. Only Service.signIn makes these; call() refuses any other object. */
export interface Caller {
  readonly account: string;
  readonly region: string;
  readonly userName: string;
  readonly arn: string;
  readonly source: CallSource;
}
