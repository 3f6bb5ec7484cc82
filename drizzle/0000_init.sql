CREATE TABLE "accounts" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"password_hash" text NOT NULL,
	"role" text DEFAULT 'admin' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_email_unique" UNIQUE("email")
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"account_id" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_env_id" text
);
--> statement-breakpoint
CREATE TABLE "definitions" (
	"env_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"name" text NOT NULL,
	"category" text DEFAULT '' NOT NULL,
	"color" text DEFAULT '#6366f1' NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"conditions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"combo_of" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "definitions_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE TABLE "environments" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"time_zone" text DEFAULT 'UTC' NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"env_id" text NOT NULL,
	"id" uuid NOT NULL,
	"user_id" bigint NOT NULL,
	"session_id" bigint NOT NULL,
	"time" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"name" text,
	"source" text NOT NULL,
	"domain" text,
	"path" text,
	"title" text,
	"target_text" text,
	"target_tag" text,
	"hierarchy" text,
	"href" text,
	"rage" boolean DEFAULT false NOT NULL,
	"props" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "events_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE TABLE "identity_merges" (
	"env_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"from_user_id" bigint NOT NULL,
	"into_user_id" bigint NOT NULL,
	"identity" text NOT NULL,
	"reason" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "identity_merges_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE TABLE "kiosk_tokens" (
	"env_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"name" text NOT NULL,
	"token_hash" text NOT NULL,
	"options" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "kiosk_tokens_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE TABLE "replay_chunks" (
	"env_id" text NOT NULL,
	"session_id" bigint NOT NULL,
	"seq" integer NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"data" "bytea" NOT NULL,
	CONSTRAINT "replay_chunks_env_id_session_id_seq_pk" PRIMARY KEY("env_id","session_id","seq")
);
--> statement-breakpoint
CREATE TABLE "segments" (
	"env_id" text NOT NULL,
	"id" bigserial NOT NULL,
	"name" text NOT NULL,
	"filters" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "segments_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"env_id" text NOT NULL,
	"id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	"source" text NOT NULL,
	"library" text,
	"app_name" text,
	"app_version" text,
	"browser" text,
	"os" text,
	"os_version" text,
	"device_type" text,
	"device_model" text,
	"country" text,
	"region" text,
	"city" text,
	"ip" text,
	"referrer" text DEFAULT 'direct' NOT NULL,
	"landing_page" text,
	"utm_source" text,
	"utm_medium" text,
	"utm_campaign" text,
	"utm_term" text,
	"utm_content" text,
	"started_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"event_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "sessions_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE TABLE "user_aliases" (
	"env_id" text NOT NULL,
	"alias_id" bigint NOT NULL,
	"user_id" bigint NOT NULL,
	CONSTRAINT "user_aliases_env_id_alias_id_pk" PRIMARY KEY("env_id","alias_id")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"env_id" text NOT NULL,
	"id" bigint NOT NULL,
	"identity" text,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"initial" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"first_seen" timestamp with time zone NOT NULL,
	"last_seen" timestamp with time zone NOT NULL,
	"identified_at" timestamp with time zone,
	CONSTRAINT "users_env_id_id_pk" PRIMARY KEY("env_id","id")
);
--> statement-breakpoint
CREATE INDEX "auth_sessions_account_idx" ON "auth_sessions" USING btree ("account_id");--> statement-breakpoint
CREATE UNIQUE INDEX "definitions_name_key" ON "definitions" USING btree ("env_id","name");--> statement-breakpoint
CREATE INDEX "events_session_time_idx" ON "events" USING btree ("env_id","session_id","time");--> statement-breakpoint
CREATE INDEX "events_user_time_idx" ON "events" USING btree ("env_id","user_id","time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_time_idx" ON "events" USING btree ("env_id","time" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "events_type_idx" ON "events" USING btree ("env_id","type","name");--> statement-breakpoint
CREATE INDEX "identity_merges_into_idx" ON "identity_merges" USING btree ("env_id","into_user_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "kiosk_tokens_hash_key" ON "kiosk_tokens" USING btree ("env_id","token_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "segments_name_key" ON "segments" USING btree ("env_id","name");--> statement-breakpoint
CREATE INDEX "sessions_user_idx" ON "sessions" USING btree ("env_id","user_id","started_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "sessions_last_at_idx" ON "sessions" USING btree ("env_id","last_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "user_aliases_user_idx" ON "user_aliases" USING btree ("env_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_identity_key" ON "users" USING btree ("env_id","identity");--> statement-breakpoint
CREATE INDEX "users_last_seen_idx" ON "users" USING btree ("env_id","last_seen" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "users_first_seen_idx" ON "users" USING btree ("env_id","first_seen" DESC NULLS LAST,"id" DESC NULLS LAST);