import { SimError } from "../../protocol/sim-error.ts";

/** Members EKS adds to an error body beside `message`, naming the resource concerned. */
export interface EksErrorFields {
  readonly clusterName?: string;
  readonly nodegroupName?: string;
}

/**
 * An EKS error: the SDK reads its type from `x-amzn-ErrorType` and these extra members
 * (`clusterName`, `nodegroupName`) from the JSON body, as EKS sends them.
 */
export class EksError extends SimError {
  public readonly fields: EksErrorFields;

  public constructor(code: string, message: string, status: number, fields: EksErrorFields = {}) {
    super(code, message, status);
    this.name = "EksError";
    this.fields = fields;
  }
}

export const clusterNotFound = (clusterName: string): EksError =>
  new EksError("ResourceNotFoundException", `No cluster found for name: ${clusterName}.`, 404, { clusterName });

export const nodegroupNotFound = (clusterName: string, nodegroupName: string): EksError =>
  new EksError("ResourceNotFoundException", `No node group found for name: ${nodegroupName}.`, 404, {
    clusterName,
    nodegroupName,
  });

export const invalidParameter = (message: string, fields: EksErrorFields = {}): EksError =>
  new EksError("InvalidParameterException", message, 400, fields);

export const resourceInUse = (message: string, fields: EksErrorFields = {}): EksError =>
  new EksError("ResourceInUseException", message, 409, fields);
