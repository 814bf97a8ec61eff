import { INestApplicationContext, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express, { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger as Pino } from 'pino';
import pinoHttp from 'pino-http';
import { AppModule } from './app.module';
import { requestContext } from './common/context/request-context';
import { DomainError } from './common/errors/domain-error';
import { ProblemFilter, sendProblem } from './common/errors/problem.filter';
import { RequestTurns } from './common/http/request-turns';
import { PinoNestLogger } from './common/logging/logger';
import { finishDocument } from './common/openapi/finish-document';
import { ProblemDoc } from './common/openapi/problem.schema';
import { JSON_TYPES, refuseNonJsonBodies, securityHeaders } from './common/validation/request-hygiene';
import { rawShapeProblem } from './common/validation/body-depth';
import { REPEATED_FIELD, repeatedFieldPath } from './common/validation/duplicate-fields';
import { illFormedStrings, refuseMalformedUtf8 } from './common/validation/well-formed-text';
import { RequestValidationPipe } from './common/validation/validation.pipe';
import { AppConfig } from './config/app-config';
import { ParticipantsService } from './modules/participants/participants.service';
import { answerClientErrorsAsProblems } from './common/http/client-errors';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A body's repeated field, found by the parser's `verify` hook on the bytes, for the middleware after the parse. */
const repeatedFields = new WeakMap<object, string | null>();

/** Builds the whole HTTP application; main.ts and the e2e tests share it. */
export async function createApp(config: AppConfig, logger: Pino): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: new PinoNestLogger(logger),
  });
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  answerClientErrorsAsProblems(app.getHttpServer());

  app.use(
    pinoHttp({
      logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // A 5xx's error is logged once, with its stack, where it becomes the answer
      // (ProblemFilter); the request's own line marks it a warning and carries no error of
      // its own (pino-http would make one up, "failed with status code 503", with a stack
      // through itself).
      customLogLevel: (_req, res, err) => (err ? 'error' : res.statusCode >= 500 ? 'warn' : 'info'),
      customErrorMessage: () => 'request completed',
      customErrorObject: (_req, res, _error, logged) => (res.err ? logged : { ...logged, err: undefined }),
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
    }),
  );
  app.use((req: Request, _res: Response, next: NextFunction) => requestContext.run({ requestId: String(req.id) }, next));
  app.use(securityHeaders());
  app.use(refuseNonJsonBodies);
  // Not strict: `null`, `42` or `"x"` are valid JSON of the wrong shape, which validation names as such.
  app.use(express.json({
    limit: config.bodyLimitBytes, strict: false, type: JSON_TYPES,
    // On the raw bytes, before they are parsed: text that is not UTF-8, and a body nested too deep or too wide.
    verify: (req, res, body) => {
      refuseMalformedUtf8(req, res, body);
      const shape = rawShapeProblem(body);
      if (shape) throw DomainError.validation([{ field: 'body', message: shape }]);
      // Found on the bytes, refused once they have parsed: a body that is not JSON gets the parser's answer.
      repeatedFields.set(req, repeatedFieldPath(body));
    },
  }));
  // A lone surrogate (`"\ud800"`) is valid JSON but not text: refused here, before any handler, in every field and field name.
  // So is a field named twice in one object (duplicate-fields.ts).
  app.use((req: Request, _res: Response, next: NextFunction) => {
    const illFormed = illFormedStrings(req.body);
    if (illFormed.length > 0) return next(DomainError.validation(illFormed));
    const repeated = repeatedFields.get(req);
    next(repeated ? DomainError.validation([{ field: repeated, message: REPEATED_FIELD }]) : undefined);
  });
  // Once the body is in: what follows (the guards, validation, the handler) is the CPU-heavy part.
  app.use(new RequestTurns().middleware());
  // Body-parser errors (413, malformed JSON) happen before any route: answer them as problems too.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => sendProblem(req, res, err));

  app.useGlobalPipes(new RequestValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();

  const document = finishDocument(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Water-rights exchange API')
        .setDescription(
          'Water rights registry, quota and cash ledger, order book, regulatory approval, negotiated transfers, ' +
            'contract water-saving (合同节水管理) and a tamper-evident audit log. Decimals are JSON strings. ' +
            'Errors are RFC 9457 application/problem+json with a `code`; a method a path does not serve is 405 with `Allow`. ' +
            'Every POST accepts `Idempotency-Key`.',
        )
        .setVersion('1')
        .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API key of a participant (an opaque string)' })
        .build(),
      { extraModels: [ProblemDoc] },
    ),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}

/** Creates the operator on first start; prints a generated key exactly once. */
export async function bootstrapOperator(app: INestApplicationContext, adminApiKey: string | undefined): Promise<string | null> {
  const { generatedKey } = await app.get(ParticipantsService).bootstrapOperator(adminApiKey);
  if (generatedKey) {
    new Logger('Bootstrap').warn('ADMIN_API_KEY is not set; an operator key was generated and is shown only now.');
    process.stdout.write(`\n  Operator API key (store it now; it is not shown again):\n  ${generatedKey}\n\n`);
  }
  return generatedKey;
}
