import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { LoginResponse, LogoutUrlResponse, SessionInfo } from '@gatehouse/domain';
import { AppConfig } from '../config/app-config';
import { Allow, CurrentCaller, Public } from './access.decorators';
import { AuthService } from './auth.service';
import { credentialOf } from './credentials';
import { ChangePasswordDto, LoginDto, SessionRefDto } from './dto/change-password.dto';
import { SignedInUser } from './local.strategy';
import { LoginGuard } from './login.guard';
import { Caller } from './principal';
import { SessionCookies } from './session-cookies';

type SignedInRequest = FastifyRequest & { user: SignedInUser };

@ApiTags('sessions')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly cookies: SessionCookies,
    private readonly config: AppConfig,
  ) {}

  @Post('login')
  @Public()
  @UseGuards(LoginGuard)
  @ApiOperation({ summary: 'Console sign-in from a form: 303 to the console with a cookie' })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: LoginDto })
  async login(@Req() request: SignedInRequest, @Res() reply: FastifyReply): Promise<void> {
    const token = await this.auth.openSession(request.user.userId, request);
    this.cookies.set(reply, token);

    void reply.redirect(this.config.redirectTo('/ui?login=success'), 303);
  }

  @Post('v2/login')
  @HttpCode(200)
  @Public()
  @UseGuards(LoginGuard)
  @ApiOperation({ summary: 'Sign-in for scripts and the console: the token works as Bearer' })
  @ApiBody({ type: LoginDto })
  async loginJson(
    @Req() request: SignedInRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LoginResponse> {
    const token = await this.auth.openSession(request.user.userId, request);
    this.cookies.set(reply, token);

    return { redirect_url: `${this.config.baseUrl}/ui?login=success`, token };
  }

  @Post('logout')
  @Public()
  @ApiOperation({ summary: 'End the session and go to PROXY_LOGOUT_URL or the console' })
  logout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endSession(request, reply);
  }

  @Get('sso/logout')
  @Public()
  @ApiOperation({ summary: 'End the session and go to PROXY_LOGOUT_URL or the console' })
  ssoLogout(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    return this.endSession(request, reply);
  }

  @Get('sso/get/logout_url')
  @Public()
  @ApiOperation({ summary: 'Where logging out leads' })
  logoutUrl(): LogoutUrlResponse {
    return { PROXY_BASE_URL: this.config.baseUrl, PROXY_LOGOUT_URL: this.config.logoutUrl };
  }

  @Post('user/password/change')
  @HttpCode(200)
  @Allow('account.use')
  @ApiOperation({ summary: "Change one's own password; ends the user's other sessions" })
  changePassword(
    @Body() body: ChangePasswordDto,
    @CurrentCaller() caller: Caller,
  ): Promise<{ message: string; sessions_ended: number }> {
    return this.auth.changePassword(caller, body.current_password, body.new_password);
  }

  @Get('user/sessions')
  @Allow('account.use')
  @ApiOperation({ summary: "The caller's own console sessions" })
  sessions(@CurrentCaller() caller: Caller): Promise<SessionInfo[]> {
    return this.auth.listSessions(caller);
  }

  @Post('user/sessions/end')
  @HttpCode(200)
  @Allow('account.use')
  @ApiOperation({ summary: 'End one of your own sessions' })
  endOne(
    @Body() body: SessionRefDto,
    @CurrentCaller() caller: Caller,
  ): Promise<{ sessions_ended: number }> {
    return this.auth.endOwnSession(caller, body.session_id);
  }

  @Post('user/sessions/end_others')
  @HttpCode(200)
  @Allow('account.use')
  @ApiOperation({ summary: 'End all your sessions but this one' })
  endOthers(@CurrentCaller() caller: Caller): Promise<{ sessions_ended: number }> {
    return this.auth.endOtherSessions(caller);
  }

  private async endSession(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const credential = credentialOf(request);
    if (credential && !credential.secret.startsWith('sk-')) {
      await this.auth.closeSession(credential.secret);
    }

    this.cookies.clear(reply);
    void reply.redirect(this.config.logoutUrl ?? this.config.redirectTo('/ui/'), 303);
  }
}
