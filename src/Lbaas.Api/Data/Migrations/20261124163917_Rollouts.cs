using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class Rollouts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "rollouts",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    load_balancer_id = table.Column<long>(type: "bigint", nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    phase = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    batch = table.Column<int>(type: "integer", nullable: false),
                    batch_count = table.Column<int>(type: "integer", nullable: false),
                    batch_size = table.Column<int>(type: "integer", nullable: false),
                    interval_ms = table.Column<int>(type: "integer", nullable: false),
                    drain_timeout_ms = table.Column<int>(type: "integer", nullable: false),
                    health_timeout_ms = table.Column<int>(type: "integer", nullable: false),
                    target = table.Column<string>(type: "jsonb", nullable: false),
                    original = table.Column<string>(type: "jsonb", nullable: false),
                    added = table.Column<string>(type: "jsonb", nullable: false),
                    healthy_ids = table.Column<List<long>>(type: "bigint[]", nullable: false),
                    removed_ids = table.Column<List<long>>(type: "bigint[]", nullable: false),
                    message = table.Column<string>(type: "character varying(4096)", maxLength: 4096, nullable: true),
                    health_deadline = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    next_step_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    finished_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    xmin = table.Column<uint>(type: "xid", rowVersion: true, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_rollouts", x => x.id);
                    table.CheckConstraint("ck_rollouts_batch_size", "batch_size >= 1");
                    table.CheckConstraint("ck_rollouts_durations", "interval_ms >= 0 AND drain_timeout_ms >= 0 AND health_timeout_ms > 0");
                    table.ForeignKey(
                        name: "fk_rollouts_load_balancers_load_balancer_id",
                        column: x => x.load_balancer_id,
                        principalTable: "load_balancers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_rollouts_load_balancer_id_id",
                table: "rollouts",
                columns: new[] { "load_balancer_id", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_rollouts_one_active",
                table: "rollouts",
                column: "load_balancer_id",
                unique: true,
                filter: "state IN ('InProgress', 'RollingBack')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "rollouts");
        }
    }
}
