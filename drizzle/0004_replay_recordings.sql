CREATE TABLE "recordings" (
	"env_id" text NOT NULL,
	"session_id" bigint NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone NOT NULL,
	"chunks" integer NOT NULL,
	"bytes" bigint NOT NULL,
	"raw_bytes" bigint NOT NULL,
	"event_count" integer NOT NULL,
	"clock_skew_ms" bigint DEFAULT 0 NOT NULL,
	"capped_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "recordings_env_id_session_id_pk" PRIMARY KEY("env_id","session_id")
);
--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "ended_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "chunk_id" uuid DEFAULT gen_random_uuid() NOT NULL;--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "window_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "event_count" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "raw_bytes" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "full_snapshot" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "replay_chunks" ADD COLUMN "received_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
CREATE INDEX "recordings_ended_idx" ON "recordings" USING btree ("env_id","ended_at");--> statement-breakpoint
CREATE UNIQUE INDEX "replay_chunks_chunk_key" ON "replay_chunks" USING btree ("env_id","session_id","chunk_id");