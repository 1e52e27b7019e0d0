{#
    Win-back by expected value: repeat buyers the model thinks have probably left
    (P(alive) below clv_win_back_p_alive), ranked by their expected 12-month value
    (clv_rank 1 = worth most). One-time buyers are never here: BG/NBD gives them
    P(alive) = 1 (nothing has been seen to stop), see segment_win_back for them.
#}
with

clv as (

    select * from {{ ref('stg_clv__customer_clv') }}

),

summary as (

    select * from {{ ref('customer_clv_summary') }}

),

members as (

    select clv.customer_id from clv
    inner join summary
        on clv.customer_id = summary.customer_id
    where summary.frequency > 0 and clv.p_alive < {{ var('clv_win_back_p_alive', 0.3) }}

),

final as (

    {{ clv_segment_members() }}

)

select * from final
