import type { CreateTableCommandInput, KeySchemaElement, Projection } from "@aws-sdk/client-dynamodb";
import { RemovalPolicy } from "aws-cdk-lib";
import { type Attribute, AttributeType, BillingMode, ProjectionType, Table } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";

/** How the stack deploys the state table. */
export interface StateTableProps {
  /** `stateTableDefinition(name)` of core/aws/state-table.ts: the one schema every party uses. */
  readonly definition: CreateTableCommandInput;
  /** Epoch-seconds expiry attribute to enable DynamoDB TTL on. */
  readonly ttlAttribute: string;
  /** Keep the table (and refuse deletion) when the stack goes away. */
  readonly retain: boolean;
}

/** Fails synthesis on a definition the conversion does not understand, rather than deploying another schema. */
const unsupported = (what: string): never => {
  throw new Error(`state table definition: ${what} is not supported by the stack`);
};

const ATTRIBUTE_TYPES: Readonly<Record<string, AttributeType>> = {
  S: AttributeType.STRING,
  N: AttributeType.NUMBER,
  B: AttributeType.BINARY,
};

/** The partition and sort key of a key schema, with their declared types. */
const keysOf = (
  definition: CreateTableCommandInput,
  schema: readonly KeySchemaElement[] | undefined,
): { partitionKey: Attribute; sortKey?: Attribute } => {
  const attribute = (role: "HASH" | "RANGE"): Attribute | undefined => {
    const name = schema?.find((element) => element.KeyType === role)?.AttributeName;
    if (name === undefined) return undefined;
    const declared = definition.AttributeDefinitions?.find((candidate) => candidate.AttributeName === name);
    const type = declared?.AttributeType === undefined ? undefined : ATTRIBUTE_TYPES[declared.AttributeType];
    return { name, type: type ?? unsupported(`key attribute ${name} without a declared type`) };
  };
  const partitionKey = attribute("HASH") ?? unsupported("a key schema without a HASH key");
  const sortKey = attribute("RANGE");
  return sortKey === undefined ? { partitionKey } : { partitionKey, sortKey };
};

const projectionOf = (projection: Projection | undefined) => {
  switch (projection?.ProjectionType) {
    case "ALL":
      return { projectionType: ProjectionType.ALL };
    case "KEYS_ONLY":
      return { projectionType: ProjectionType.KEYS_ONLY };
    case "INCLUDE":
      return { projectionType: ProjectionType.INCLUDE, nonKeyAttributes: projection.NonKeyAttributes ?? [] };
    default:
      return unsupported(`projection ${String(projection?.ProjectionType)}`);
  }
};

/**
 * The state table, built from the shared `CreateTableCommandInput` so the deployed schema is the one the
 * local runner and the tests create. On demand, point-in-time recovery on, TTL on the expiry attribute.
 */
export const createStateTable = (scope: Construct, id: string, props: StateTableProps): Table => {
  const { definition } = props;
  if (definition.BillingMode !== "PAY_PER_REQUEST") unsupported(`billing mode ${String(definition.BillingMode)}`);
  if (definition.LocalSecondaryIndexes?.length) unsupported("local secondary indexes");
  if (definition.StreamSpecification !== undefined) unsupported("streams");
  const table = new Table(scope, id, {
    ...(definition.TableName === undefined ? {} : { tableName: definition.TableName }),
    ...keysOf(definition, definition.KeySchema),
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    timeToLiveAttribute: props.ttlAttribute,
    deletionProtection: props.retain,
    removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
  for (const index of definition.GlobalSecondaryIndexes ?? []) {
    table.addGlobalSecondaryIndex({
      indexName: index.IndexName ?? unsupported("an index without a name"),
      ...keysOf(definition, index.KeySchema),
      ...projectionOf(index.Projection),
    });
  }
  return table;
};
