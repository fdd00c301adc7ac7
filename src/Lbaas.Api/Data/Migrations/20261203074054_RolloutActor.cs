using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Lbaas.Api.Data.Migrations
{
    /// <inheritdoc />
    public partial class RolloutActor : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "actor",
                table: "rollouts",
                type: "character varying(256)",
                maxLength: 256,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "actor",
                table: "rollouts");
        }
    }
}
