import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import { ApiError } from '../errors/api-error';
import { TransparencyResolver, type CheckpointFeedPage, type ConsistencyProof } from './transparency.resolver';

/** The checkpoint feed over plain HTTP, for witnesses that speak no GraphQL: the same answers as the GraphQL queries. */
@Controller('transparency')
export class TransparencyController {
  constructor(private readonly feed: TransparencyResolver) {}

  /** `GET /transparency/checkpoints?fromSequence=0&first=100` */
  @Get('checkpoints')
  checkpoints(@Query('fromSequence') from?: string, @Query('first') first?: string): Promise<CheckpointFeedPage> {
    return answer(() => this.feed.checkpoints(integer(from, 0), integer(first, 100)));
  }

  /** `GET /transparency/consistency?fromSize=…&toSize=…` */
  @Get('consistency')
  consistency(@Query('fromSize') fromSize?: string, @Query('toSize') toSize?: string): Promise<ConsistencyProof> {
    return answer(() => this.feed.consistencyProof(integer(fromSize, NaN), integer(toSize, NaN)));
  }
}

const integer = (text: string | undefined, fallback: number) =>
  text === undefined ? fallback : /^\d{1,15}$/.test(text) ? Number(text) : NaN;

/** Bad input is a 400 with the API's error shape and stable code. */
async function answer<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError && err.code === 'INPUT.INVALID')
      throw new BadRequestException({ error: { code: err.code, message: err.message } });
    throw err;
  }
}
