import type { Actor, Authenticate } from '../../platform/access';
import type { AppContext } from '../../platform/context';
import { AppError } from '../../platform/errors';
import { iamRoutes, iamSettingsOf, sessionCookieName } from './iam.routes';
import { authenticateSession, authenticateToken } from './iam.service';

export { checkPasswordPolicy, generatePassword, hashPassword } from './iam.password';
export { createApiToken, createUser, disableUser, endSessions } from './iam.service';
export { apiTokens, orgUnits, sessions, users } from './iam.tables';
export { iamRoutes, sessionCookieName };

/**
 * Resolves the actor of a request: an API token in `Authorization: Bearer`, else the session cookie.
 * A cookie that no longer opens a session answers SESSION_EXPIRED so the web can say why.
 */
export function createAuthenticator(ctx: AppContext): Authenticate {
  const settings = iamSettingsOf(ctx);
  const cookieName = sessionCookieName(ctx.config.mode === 'production');
  return async (request): Promise<Actor | null> => {
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      const actor = match ? await authenticateToken(ctx.db, settings, match[1]!) : null;
      if (!actor) throw new AppError('TOKEN_INVALID');
      return actor;
    }
    const token = request.cookies?.[cookieName];
    if (!token) return null;
    const actor = await authenticateSession(ctx.db, settings, token);
    if (!actor) throw new AppError('SESSION_EXPIRED');
    return actor;
  };
}
