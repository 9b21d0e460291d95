import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { FeedwatchStack } from '../../lib/feedwatch-stack.ts';
import { DEFAULT_STACK_NAME } from '../../lib/outputs.ts';
import { readStackConfig } from '../../lib/stack-config.ts';

/** The context a user passes with `-c`: always strings, as the CLI hands them over. */
export type CliContext = Record<string, string>;

export interface SynthOptions {
  /** Run esbuild for real; off by default because it costs seconds per function. */
  bundle?: boolean;
  outdir?: string;
}

/** Builds the stack exactly as bin/app.ts does, from context. */
export function synthStack(context: CliContext = {}, options: SynthOptions = {}) {
  const app = new App({
    context: { ...context, ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) },
    ...(options.outdir && { outdir: options.outdir }),
  });
  const config = readStackConfig(app.node.getAllContext());
  const stack = new FeedwatchStack(app, DEFAULT_STACK_NAME, { config });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id CloudFormation knows a construct's main resource by. */
export function logicalIdOf(construct: IConstruct): string {
  const resource = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(resource))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).getLogicalId(resource);
}

/** `{ "Fn::GetAtt": [id, attribute] }` of a construct. */
export function getAtt(construct: IConstruct, attribute: string) {
  return { 'Fn::GetAtt': [logicalIdOf(construct), attribute] };
}

export function ref(construct: IConstruct) {
  return { Ref: logicalIdOf(construct) };
}
