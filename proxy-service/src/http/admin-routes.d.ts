import { Router } from 'express';
import type { AppDeps } from './app.ts';
export declare function adminRouter(deps: AppDeps): Router;
