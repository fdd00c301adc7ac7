using System;
using System.Collections.Generic;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class RevisionsAndDraining : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_backends_load_balancer_id_name",
                table: "backends");

            migrationBuilder.AddColumn<int>(
                name: "slow_start_ms",
                table: "load_balancers",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "remove_by",
                table: "backends",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "load_balancer_revisions",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    load_balancer_id = table.Column<long>(type: "bigint", nullable: false),
                    revision = table.Column<long>(type: "bigint", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    actor = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    source = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    action = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    changes = table.Column<List<string>>(type: "text[]", nullable: false),
                    spec = table.Column<string>(type: "jsonb", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_load_balancer_revisions", x => x.id);
                    table.ForeignKey(
                        name: "fk_load_balancer_revisions_load_balancers_load_balancer_id",
                        column: x => x.load_balancer_id,
                        principalTable: "load_balancers",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_backends_load_balancer_id_name",
                table: "backends",
                columns: new[] { "load_balancer_id", "name" },
                unique: true,
                filter: "name IS NOT NULL AND remove_by IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_load_balancer_revisions_load_balancer_id_revision",
                table: "load_balancer_revisions",
                columns: new[] { "load_balancer_id", "revision" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "load_balancer_revisions");

            migrationBuilder.DropIndex(
                name: "ix_backends_load_balancer_id_name",
                table: "backends");

            migrationBuilder.DropColumn(
                name: "slow_start_ms",
                table: "load_balancers");

            migrationBuilder.DropColumn(
                name: "remove_by",
                table: "backends");

            migrationBuilder.CreateIndex(
                name: "ix_backends_load_balancer_id_name",
                table: "backends",
                columns: new[] { "load_balancer_id", "name" },
                unique: true,
                filter: "name IS NOT NULL");
        }
    }
}
