import 'reflect-metadata';
import { BadRequestException, Body, CanActivate, Controller, ExecutionContext, Headers, HttpCode, Module, Param, ParseIntPipe, Post, Req, UnauthorizedException, UseGuards, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { randomUUID } from 'node:crypto';
import type { Placement } from './writes';

const DECIMAL = /^\d{1,12}(\.\d{1,4})?$/;

class PlaceOrder {
  @IsIn(['BUY', 'SELL']) side!: string;
  @Matches(DECIMAL) price!: string;
  @Matches(DECIMAL) volume!: string;
  @IsOptional() @IsIn(['GTC', 'IOC']) timeInForce?: string;
}

/**
 * The ceiling's front on the service's own HTTP stack: NestJS on Express, a guard that finds
 * the caller, a class-validator DTO and the JSON body parser; nothing of the service's own.
 */
export async function nestFront(keys: Map<string, string>, place: (p: Placement) => void): Promise<number> {
  class KeyGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; participant?: string }>();
      req.participant = keys.get((req.headers.authorization ?? '').slice('Bearer '.length));
      if (!req.participant) throw new UnauthorizedException();
      return true;
    }
  }

  @Controller('v1/markets')
  class Orders {
    @Post(':id/orders')
    @HttpCode(201)
    @UseGuards(KeyGuard)
    place(@Param('id', ParseIntPipe) market: number, @Body() dto: PlaceOrder, @Headers('idempotency-key') key: string | undefined, @Req() req: { participant: string }): Promise<object> {
      if (!key) throw new BadRequestException('Idempotency-Key is required');
      return new Promise((ok, fail) => place({
        id: randomUUID(), market, participant: req.participant, side: dto.side, price: dto.price, volume: dto.volume, tif: dto.timeInForce ?? 'GTC', key,
        answer: (status, body) => (status === 201 ? ok(body) : fail(new Error(JSON.stringify(body)))),
      }));
    }
  }

  @Module({ controllers: [Orders] })
  class CeilingModule {}

  const app = await NestFactory.create(CeilingModule, { logger: false });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true }));
  await app.listen(0, '127.0.0.1');
  app.getHttpServer().keepAliveTimeout = 30_000;
  return app.getHttpServer().address().port;
}
