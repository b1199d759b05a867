import { Body, Controller, HttpCode, Inject, Post, UseGuards } from '@nestjs/common';
import { RateLimit, RateLimitGuard } from '../http/rate-limit.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { CITIZEN_SECRET } from '../platform/tokens.js';
import { claimsFor, StaffDirectory } from '../staff/staff-directory.js';
import { PhoneVerification } from '../citizens/phone-verification.js';
import { citizenIdForDevice } from './citizen.js';
import type { AccessClaims } from './claims.js';
import { Credentials } from './credentials.js';
import { AuthError } from './errors.js';
import { citizenSchema, loginSchema, refreshSchema } from './requests.js';
import { sessionBody, TokenService } from './tokens.js';


@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly credentials: Credentials,
    private readonly tokens: TokenService,
    private readonly staff: StaffDirectory,
    @Inject(CITIZEN_SECRET) private readonly citizenSecret: Buffer,
    private readonly phones: PhoneVerification,
  ) {}

  @Post('login')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @RateLimit('login')
  async login(@Body() raw: unknown) {
    const body = parseOrProblem(loginSchema, raw, 'body');
    const userId = await this.credentials.checkCredentials(body.username, body.password);
    const account = userId === null ? null : await this.staff.load(userId);
    const claims = account ? claimsFor(account) : null;
    if (!account || !claims) {
      // One answer for unknown user, wrong password and disabled account: no account enumeration.
      throw new ProblemError(401, 'auth.invalid_credentials', 'Unknown username or wrong password, or the account is disabled.');
    }
    const session = await this.tokens.startSession(claims);
    return { ...sessionBody(session), user: { id: claims.sub, username: account.username, role: claims.role, communes: claims.communes } };
  }

  @Post('refresh')
  @HttpCode(200)
  async refresh(@Body() raw: unknown) {
    const body = parseOrProblem(refreshSchema, raw, 'body');
    const session = await this.mapAuthErrors(() =>
      this.tokens.refresh(body.refreshToken, async (subject): Promise<AccessClaims | null> => {
        if (subject.kind === 'citizen') return { sub: subject.sub, kind: 'citizen', role: 'citizen', communes: '*' };
        return claimsFor(await this.staff.load(subject.sub));
      }),
    );
    return sessionBody(session);
  }

  @Post('citizen')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @RateLimit('citizen-session')
  async citizen(@Body() raw: unknown) {
    const body = parseOrProblem(citizenSchema, raw, 'body');
    // A device recovered through a verified phone opens the session of the citizen it became.
    const citizenId = await this.phones.citizenOfDevice(citizenIdForDevice(body.deviceId, this.citizenSecret));
    const session = await this.tokens.startSession({ sub: citizenId, kind: 'citizen', role: 'citizen', communes: '*' });
    return { ...sessionBody(session), citizenId };
  }


  private async mapAuthErrors<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof AuthError) throw new ProblemError(error.httpStatus, error.code, error.message);
      throw error;
    }
  }
}
